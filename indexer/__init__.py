"""tandem indexer: UN documents in French and Chinese, from corpus files to one shared index and its catalog."""

__version__ = "0.1.0"

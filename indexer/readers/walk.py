"""The walk through a corpus folder: every regular file to consider, and every path passed over with its reason.

Hidden names (starting with ".") are passed over silently. Symbolic links are followed once the real folders
are walked, so that a link to something already found is reported as such rather than read twice; links whose
target leaves the corpus folder are not followed unless asked to.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .units import key_of, printable


def walk_corpus(root: Path, follow_external_links: bool = False) -> tuple[list[Path], list[tuple[str, str]]]:
    """The regular files under root, and the (key, reason) of every path passed over."""

    walker = _Walker(Path(root), follow_external_links, key_of)
    walker.run()
    return walker.files, walker.skipped


class _Walker:
    def __init__(self, root: Path, follow_external: bool, key_of):
        self.root = root
        self.real_root = os.path.realpath(root)
        self.follow_external = follow_external
        self.key = lambda path: key_of(path, root)
        self.files: list[Path] = []
        self.skipped: list[tuple[str, str]] = []
        self.seen_dirs: dict[tuple[int, int], Path] = {}
        self.seen_files: dict[tuple[int, int], Path] = {}
        self.links: list[Path] = []

    def run(self):
        st = os.stat(self.root)
        self.seen_dirs[(st.st_dev, st.st_ino)] = self.root
        self.walk(self.root)
        while self.links:  # following a link to a folder may find more links
            links, self.links = sorted(self.links), []
            for link in links:
                self.follow(link)

    def walk(self, top: Path):
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                self.skip(folder, f"cannot read folder: {exc.strerror}")
                continue
            subfolders = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = Path(entry.path)
                try:
                    if entry.is_symlink():
                        self.links.append(path)
                    elif entry.is_dir(follow_symlinks=False):
                        if self.new_dir(path, entry.stat(follow_symlinks=False)):
                            subfolders.append(path)
                    else:
                        self.add_file(path, entry.stat(follow_symlinks=False))
                except OSError as exc:
                    self.skip(path, f"cannot read: {exc.strerror}")
            stack.extend(reversed(subfolders))

    def follow(self, link: Path):
        try:
            target = os.readlink(link)
        except OSError:
            target = "?"
        try:
            st = os.stat(link)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.skip(link, "symbolic link loop")
            elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
                self.skip(link, f"broken symbolic link (to {_shown(target)})")
            else:
                self.skip(link, f"cannot follow symbolic link: {exc.strerror}")
            return
        real = os.path.realpath(link)
        if not self.follow_external and not _inside(real, self.real_root):
            self.skip(
                link,
                f"symbolic link to outside the corpus folder ({_shown(real)}); "
                "set follow_external_links = true to follow it",
            )
            return
        if stat.S_ISDIR(st.st_mode):
            if _inside(os.path.realpath(link.parent), real):
                self.skip(link, "symbolic link loop (to an enclosing folder)")
            elif self.new_dir(link, st):
                self.walk(link)
        else:
            self.add_file(link, st)

    def new_dir(self, path: Path, st: os.stat_result) -> bool:
        """Whether the folder is met for the first time (a link or mount may show it twice)."""
        seen = self.seen_dirs.setdefault((st.st_dev, st.st_ino), path)
        if seen != path:
            self.skip(path, f"same folder as {self.key(seen) or '.'}")
            return False
        return True

    def add_file(self, path: Path, st: os.stat_result):
        if not stat.S_ISREG(st.st_mode):
            self.skip(path, f"not a regular file ({_kind(st.st_mode)})")
            return
        seen = self.seen_files.setdefault((st.st_dev, st.st_ino), path)
        if seen != path:
            self.skip(path, f"same file as {self.key(seen)}")
            return
        if not os.access(path, os.R_OK):
            self.skip(path, f"cannot read: {os.strerror(errno.EACCES)}")
            return
        self.files.append(path)

    def skip(self, path: Path, reason: str):
        self.skipped.append((self.key(path), reason))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _shown(path: str) -> str:

    return printable(path)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "named pipe"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "device"),
        (stat.S_ISBLK, "device"),
    ):
        if test(mode):
            return name
    return "special file"

"""Russian words: lowercase, ё read as е, stems and exact forms (see alphabetic)."""

from __future__ import annotations

from .alphabetic import WordRules, register
from .french import _stemmer
from .light_stems import russian_light

# Snowball's Russian stop list, but for the negations ("не", "нет", "ни" stay searchable).
RUSSIAN_STOPWORDS = frozenset(
    """
и в во что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще
о из ему теперь когда даже ну вдруг ли если уже или быть был него до вас нибудь опять уж вам ведь там потом
себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под
будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были
куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них
какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда
конечно всю между это также которые который которых которая которой
""".split()
)


def fold_russian(word: str) -> str:
    """ё read as е (most texts print е for both), stress marks dropped; й kept."""
    return word.replace("\u0301", "").replace("ё", "е").replace("Ё", "Е")


def russian_stem(word: str) -> str:
    """Snowball's Russian stem of a folded word's light stem (case endings first): Snowball alone leaves
    "системы"/"систем" and "проблемы"/"проблем" apart; 0.999 of other-number pairs agree, 0.982 without."""
    return _stemmer("russian").stemWord(russian_light(word))


russian_analyzer = register(WordRules("ru", fold_russian, russian_stem, RUSSIAN_STOPWORDS))

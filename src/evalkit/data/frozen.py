"""Read-only values for ``DataFrame.attrs`` that pandas shares instead of deep-copying.

pandas deep-copies a frame's ``attrs`` into every frame derived from it (a filter, a column, a merge). A table
read from the data package carries its sidecar (``attrs["meta"]``, a nested mapping) and, for CSV files, the
physical line of every row (``attrs["lines"]``, one integer per row), so each derived frame used to pay a copy
of both: on notebook 45 that was a quarter of the run time. Both are never changed after reading, so they are
stored as the read-only types below, whose deep copy is the object itself.
"""

from __future__ import annotations

from typing import Any, NoReturn


class FrozenMeta(dict):
    """A sidecar mapping that refuses changes and is shared, not copied, by ``copy.deepcopy``."""

    def __deepcopy__(self, memo: dict) -> FrozenMeta:
        return self

    def __copy__(self) -> FrozenMeta:
        return self

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a table's sidecar metadata is read-only; copy it with dict(meta) to change it")

    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]

    def __reduce__(self):  # pickles as a plain dict subclass rebuilt from its items
        return (FrozenMeta, (dict(self),))


class FrozenLines(tuple):
    """The physical line of each row of a table: a tuple shared, not copied, by ``copy.deepcopy``."""

    def __deepcopy__(self, memo: dict) -> FrozenLines:
        return self


def freeze_meta(meta: dict | None) -> FrozenMeta:
    """``meta`` (a sidecar mapping, possibly None) as a :class:`FrozenMeta`."""
    return meta if isinstance(meta, FrozenMeta) else FrozenMeta(meta or {})

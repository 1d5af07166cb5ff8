"""The indicator set (8项硬指标) as data, editable per year."""

__all__: list[str] = []

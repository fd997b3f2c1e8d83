"""Cost-sensitive classification losses (chapter 11): losses that weigh each kind of
mistake by what it costs in the real world."""

__all__: list[str] = []

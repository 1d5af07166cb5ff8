"""党建工作责任书 (responsibility letters), their items and scores; star ratings and classifications."""

__all__: list[str] = []

"""党建工作责任书 (responsibility letters): templates, the lifecycle, scoring, star ratings and classification."""

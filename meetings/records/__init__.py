"""谈心谈话 and 民主评议党员: a subject of the meetings app, one module per role (services, selectors, forms, views, api,
serializers, urls, admin). The models stay in meetings/models/records.py (same app, no migration)."""

"""/api/v1/indicators/..."""

urlpatterns: list = []

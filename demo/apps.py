from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (`seed_demo`), benchmarks and the real-services test harness.

    Installed only while DEBUG or LIAISON_DEMO is on: a production Liaison has none of it.
    """

    name = "demo"
    verbose_name = "Demo data"

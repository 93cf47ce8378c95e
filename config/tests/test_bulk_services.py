"""A bulk action of more than 1,000 records against real services: PostgreSQL, Redis and a
`celery worker` subprocess reading the test database. The page shows the task's progress
while it runs (through the cache, Redis here as in production), and the change lands whole."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from bulk.models import BulkAction
from bulk.tests.helpers import confirm
from config.realservices import (
    RedisServer,
    Worker,
    database_url,
    point_celery_at,
    service_env,
    wait_for,
)
from core import roles
from core.tests.factories import UserFactory
from partners.models import Organization

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    if connection.vendor != "postgresql":
        pytest.skip("The real-service tests need PostgreSQL (set DATABASE_URL)")
    if not RedisServer.available():
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer().start()
    point_celery_at(server.url)
    # This process reads the progress the worker writes: the same cache (config.settings).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "liaison",
        }
    }
    env = service_env(database_url=database_url(), redis_url=server.url, email_url="dummymail://")
    process = Worker("bulk", env).start()
    yield process
    process.close()
    point_celery_at("memory://")
    server.close()


def test_a_worker_hands_1001_partners_over_in_one_task_with_progress_on_the_page(client, worker):
    manager = UserFactory(username="maria", first_name="Maria", role=roles.MANAGER)
    rosa = UserFactory(username="rosa", first_name="Rosa", last_name="Díaz", role=roles.LIBRARIAN)
    marcus = UserFactory(username="marcus", first_name="Marcus", role=roles.LIBRARIAN)
    Organization.objects.bulk_create(
        Organization(name=f"Branch {n:04}", normalized_name=f"branch {n:04}", owner=rosa)
        for n in range(1001)
    )
    client.force_login(manager)

    response = confirm(
        client, "organizations", None, f"owner={rosa.pk}", action="owner", owner=marcus.pk
    )
    assert response.status_code == 302
    seen: list[int] = []

    def finished() -> bool:
        partial = client.get(
            response.url, headers={"HX-Request": "true", "HX-Target": "progress"}
        ).content.decode()
        seen.append(int(re.search(r'aria-valuenow="(\d+)"', partial)[1]))  # type: ignore[index]
        return BulkAction.objects.get().finished

    wait_for(finished, timeout=180, interval=0.2, what="the bulk action")
    bulk_action = BulkAction.objects.get()
    assert (bulk_action.status, bulk_action.done) == ("done", 1001), worker.log()[-3000:]
    assert any(0 < n < 1001 for n in seen), seen  # the bar moved while it ran
    assert Organization.objects.filter(owner=marcus).count() == 1001
    entries = Organization.history.filter(owner=marcus)
    assert entries.count() == 1001 and {e.history_user_id for e in entries} == {manager.pk}
    page = client.get(reverse("bulk:bulk_action_detail", args=[bulk_action.pk]))
    assert "Done: 1,001 organizations changed." in page.content.decode()

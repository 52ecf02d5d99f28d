"""`make bench`: page timings, query counts and first-load bytes on the demo data.

Run after `make run` has seeded the demo (or let `make bench` seed it). Numbers
are medians over repeated requests through Django's test client, in-process,
so they measure the application (views, queries, templates), not the network.
"""

import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jwp.settings")

import django

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from jwp.models import User  # noqa: E402

PAGES = [
    "/samburu/",
    "/samburu/members/",
    "/samburu/organizations/",
    "/samburu/sectors/",
    "/samburu/audit/",
    "/samburu/stakeholders/",
    "/samburu/stakeholders/matrix/",
    "/samburu/structures/",
    "/samburu/contacts/",
    "/samburu/meetings/",
    "/samburu/sector-plans/",
    "/samburu/sector-plans/public/",
    "/api/v1/counties/samburu/members/",
    "/api/v1/counties/samburu/wards/",
    "/api/v1/counties/samburu/stakeholders/",
    "/api/v1/counties/samburu/meetings/",
    "/api/v1/counties/",
]
STATIC = ["css/jwp.css", "js/jwp.js", "vendor/htmx-2.0.10.min.js"]
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def main() -> None:
    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(email="secretariat@samburu.demo"))
    print(f"{'page':<40} {'median ms':>9} {'p95 ms':>7} {'queries':>7} {'gzip B':>7}")
    for url in PAGES:
        timings = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        size = len(gzip.compress(response.content))
        print(
            f"{url:<40} {statistics.median(timings):>9.1f} {p95:>7.1f} {len(queries):>7} {size:>7}"
        )
    static_bytes = sum(len(gzip.compress(Path(finders.find(p)).read_bytes())) for p in STATIC)
    home = len(gzip.compress(client.get("/samburu/").content))
    print(
        f"first load of /samburu/ (HTML + CSS + JS, gzip): {home + static_bytes} bytes "
        f"(budget 61440)"
    )


if __name__ == "__main__":
    main()

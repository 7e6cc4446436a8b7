"""Several workers on PostgreSQL + Redis (issue 16): `make run-cluster`'s set-up with two workers.

scripts/with-cluster.sh (what `make run-cluster` runs) starts PostgreSQL and Redis for a temporary
cluster folder, migrates, and runs the production backend with two granian workers. Backend only:
the websocket and Praxis' HTTP routes are what several workers change, and nothing has to be built,
so the cluster starts in seconds beside the suite's app. Over the websocket
(tests/e2e/socket_client.py), tabs of one signed-in person land on both workers — the socket
records Reflex keeps in Redis say which — and:

- a tab on either worker is signed in (the session lives in the database), loads a page and acts;
- a record created through one worker is found by a search on the other;
- a tab whose socket reconnects to the other worker finds its state there (it lives in Redis);
- Redis holds the tabs' states, never the session token or its hash;
- signing out on one worker signs the tabs on the other out at their next event, and their states
  in Redis then hold nothing of the office.
"""

from __future__ import annotations

import json
import pickle
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

import app.app  # noqa: F401  (registers every state class, as the server does)
from app.db import make_engine
from app.services.tokens import hash_token
from app.settings import Settings
from app.state.auth import SignInState
from app.state.patients import PatientListState
from app.state.session import SessionState
from tests.e2e.harness import ROOT, RunningApp, free_port, running_app
from tests.e2e.office_data import FAST_BCRYPT_ROUNDS, Account, AppDatabase, Tags
from tests.e2e.socket_client import SocketClient, _NoRedirect, var

WORKERS = 2
PATIENTS = PatientListState.get_full_name()
SESSION = SessionState.get_full_name()
SOCKET_RECORD_PREFIX = "token_manager_socket_record_"  # reflex/utils/token_manager.py


@dataclass
class Cluster:
    app: RunningApp
    redis: redis.Redis
    db: AppDatabase

    def worker_of(self, tab: SocketClient) -> str | None:
        """The instance id of the worker holding the tab's socket (Reflex's record in Redis); None
        when the record is missing (the old worker's clean-up of a reconnected tab can remove it)."""
        raw = self.redis.get(SOCKET_RECORD_PREFIX + tab.token)
        return None if raw is None else pickle.loads(raw).instance_id  # our own Redis, written by Reflex

    def stored_values(self, *tabs: SocketClient) -> bytes:
        """The values in Redis (of the tabs' keys only, when tabs are given), to search them."""
        values: list[bytes] = []
        for key in self.redis.scan_iter():
            if tabs and not any(tab.token.encode() in key for tab in tabs):
                continue
            kind = self.redis.type(key)
            if kind == b"string":
                values.append(self.redis.get(key) or b"")
            elif kind == b"hash":
                values.extend(self.redis.hgetall(key).values())
            elif kind == b"list":
                values.extend(self.redis.lrange(key, 0, -1))
            elif kind == b"set":
                values.extend(self.redis.smembers(key))
        return b"\n".join(values)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    folder = Path(tempfile.mkdtemp(prefix="praxis-cluster-"))
    folder.chmod(0o755)  # as root, PostgreSQL runs as `postgres` and must reach its folder
    pg_port, redis_port = free_port(), free_port()
    env = {
        "PRAXIS_CLUSTER_DIR": str(folder / "cluster"),
        "PRAXIS_CLUSTER_PG_DIR": str(folder / "postgres"),
        "PRAXIS_CLUSTER_PG_PORT": str(pg_port),
        "PRAXIS_CLUSTER_REDIS_PORT": str(redis_port),
        "WORKERS": str(WORKERS),
        "PRAXIS_BCRYPT_ROUNDS": str(FAST_BCRYPT_ROUNDS),
    }
    launcher = [str(ROOT / "scripts" / "with-cluster.sh")]
    try:
        with running_app(extra_env=env, launcher=launcher, backend_only=True) as running:
            secrets_dir = folder / "cluster"
            pg_password = (folder / "postgres" / "praxis-password").read_text().strip()
            redis_password = (secrets_dir / "redis-password").read_text().strip()
            engine = make_engine(f"postgresql+psycopg://praxis:{pg_password}@127.0.0.1:{pg_port}/praxis")
            settings = Settings(
                data_dir=running.data_dir,
                database_url=str(engine.url),
                secret_key=(running.data_dir / "secret_key").read_text().strip().encode(),
                base_url=running.base_url,
                mail_from="Praxis <no-reply@praxis.localhost>",
                smtp=None,
                bcrypt_rounds=FAST_BCRYPT_ROUNDS,
            )
            client = redis.Redis(host="127.0.0.1", port=redis_port, password=redis_password)
            yield Cluster(running, client, AppDatabase(engine, settings))
            client.close()
            engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def open_tabs_on_both_workers(cluster: Cluster, cookie: str, pathname: str) -> list[SocketClient]:
    """Fresh tabs of the signed-in person on `pathname` until one sits on each worker."""
    by_worker: dict[str, SocketClient] = {}
    for _ in range(30):
        tab = SocketClient(cluster.app.base_url, cookie=cookie)
        tab.connect(pathname)
        worker = cluster.worker_of(tab)
        if worker is None or worker in by_worker:
            tab.close()
            continue
        by_worker[worker] = tab
        if len(by_worker) == WORKERS:
            return list(by_worker.values())
    raise AssertionError(f"30 connections all reached {list(by_worker)}")


def reconnect_on_another_worker(cluster: Cluster, tab: SocketClient, pathname: str) -> list[dict]:
    """Reload the tab (same tab token) until its new socket sits on another worker than now."""
    away_from = cluster.worker_of(tab)
    for _ in range(30):
        updates = tab.reconnect(pathname, {})
        if cluster.worker_of(tab) not in (None, away_from):
            return updates
    raise AssertionError(f"30 reloads of tab {tab.token} all reached worker {away_from}")


def close_session(base_url: str, token: str) -> None:
    """POST /_session/close with the cookie, as the page's hidden form does after sign-out (its
    redirect to /sign-in is not followed: only the backend runs here)."""
    request = urllib.request.Request(
        base_url + "/_session/close", data=b"", headers={"Origin": base_url, "Cookie": f"praxis_session={token}"}
    )
    try:
        status = urllib.request.build_opener(_NoRedirect).open(request, timeout=10).status
    except urllib.error.HTTPError as answer:  # the 303 arrives as an "error" without redirects
        status = answer.code
    assert status == 303, f"/_session/close answered {status}"


def rows_named(updates: list[dict], last_name: str) -> list[dict]:
    return [row for u in updates for row in var(u, PATIENTS, "rows", []) or [] if last_name in row.get("name", "")]


def test_a_signed_in_person_works_on_either_worker_with_the_state_in_redis(cluster: Cluster) -> None:
    tags = Tags()
    owner: Account = cluster.db.account(tags)
    office_id = cluster.db.office(owner, tags)
    cluster.db.patient(owner, office_id, tags)
    office_name = cluster.db.office_name(office_id)

    with SocketClient(cluster.app.base_url) as sign_in_tab:
        sign_in_tab.connect("/sign-in")
        cookie = sign_in_tab.sign_in(SignInState.sign_in, owner.email, owner.password)

    tab_a, tab_b = open_tabs_on_both_workers(cluster, cookie, "/clinic/patients")
    try:
        # Each worker resolves the session from the database and loads the page.
        for tab in (tab_a, tab_b):
            loaded = tab.updates()
            assert any(var(u, SESSION, "user_email") == owner.email for u in loaded), "not signed in"
            assert any(var(u, PATIENTS, "total") == 1 for u in loaded), "the patient list did not load"

        # A record created through worker A is found by a search on worker B.
        new_last_name = Tags().title()
        created = tab_a.call(
            PatientListState.create,
            {"form": {"first_name": "Nadia", "last_name": new_last_name, "date_of_birth": "1990-05-17"}},
        )
        assert "/clinic/patients/" in json.dumps([u.get("events") for u in created]), (
            f"creating the record on worker A did not open it: {created}"
        )
        found = tab_b.call(PatientListState.set_query, {"value": new_last_name})
        assert rows_named(found, new_last_name), "worker B's search did not find the record made on worker A"

        # Redis keeps the tabs' states (the office's name is there), never the session token or its hash.
        stored = cluster.stored_values()
        assert office_name.encode() in stored and new_last_name.encode() in cluster.stored_values(tab_b)
        assert cookie.encode() not in stored and hash_token(cookie).encode() not in stored

        # Tab B reloads onto the other worker (on a page that leaves the patient list alone), and
        # its next page of results there still follows its search: its state is in Redis.
        reloaded = reconnect_on_another_worker(cluster, tab_b, "/account")
        paged = tab_b.call(PatientListState.go_to_page, {"page": 1}, pathname="/clinic/patients", query={})
        debug = [
            (sorted(u.get("delta", {})), var(u, PATIENTS, "query"), var(u, PATIENTS, "total")) for u in reloaded + paged
        ]
        assert any(var(u, PATIENTS, "total") == 1 for u in paged) and rows_named(paged, new_last_name), (
            f"the reloaded tab's state on the other worker did not hold its search: {debug}"
        )
        reconnect_on_another_worker(cluster, tab_a, "/clinic/patients")
        assert cluster.worker_of(tab_a) != cluster.worker_of(tab_b)

        # Signing out on one worker: the tab on the other is signed out at its next event, and
        # neither tab's state in Redis holds anything of the office any more.
        answer = tab_b.call(SessionState.sign_out)
        assert any(var(u, SESSION, "handoff_action") == "/_session/close" for u in answer)
        close_session(cluster.app.base_url, cookie)
        after = tab_a.call(PatientListState.set_query, {"value": new_last_name})
        assert any(var(u, SESSION, "user_email") == "" for u in after), "the other worker's tab is still signed in"
        assert not rows_named(after, new_last_name)
        tab_b.call(PatientListState.set_query, {"value": ""})
        stored = cluster.stored_values(tab_a, tab_b)
        words = [*tags.words, new_last_name]
        leaked = [word for word in words if word.lower().encode() in stored.lower()]
        assert not leaked, f"Redis still holds {leaked} in the signed-out tabs' states"
    finally:
        tab_a.close()
        tab_b.close()

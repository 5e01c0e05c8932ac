"""Yearly report and quota benchmark (DESIGN §8: the yearly report over 1 M nominations p95
≤ 500 ms, goal ≤ 200 ms; one unit's quota p95 ≤ 10 ms, goal ≤ 2 ms).

    python benchmarks/yearly_report.py [--nominations 1000000] [--database postgres|sqlite]
                                       [--year 2024] [--runs 30] [--verify] [--seed 1]

It makes a fresh migrated reporting database (a new PostgreSQL database on TEST_DATABASE_URL,
else postgres@127.0.0.1/test, dropped at the end, also on an error or Ctrl-C; or a SQLite file
in a temporary folder) and fills it with one year of N nominations of the default profile
(bu-gia-map-2023) as the projections hold them once every event of the year has come in: the
fact rows, the lock rows (one per nomination and per story) and the tallies, summed from
`projections.derive` (what each nomination counts for, and each story on its own). Rows go in
by COPY on PostgreSQL, executemany on SQLite; the per-event timeline is not seeded (no figure
reads it). The year is drawn with a fixed seed: communes and agencies weighted (a few units
with many), ≈85 % individuals, 5 % withdrawn, 70 % commended, 10 % rejected, 0.5 % revoked,
stories for ≈15 % of the commended (some taken down), good deeds on the news channels, a few
dozen escalations. Each unit that owes a quota also gets its budget estimate for the year
through the budgets service, every other one left a draft (its bonus line is then computed
from the standing commendations whenever it is read, by the yearly report too).

It then times each call, after 3 warm-up runs, on a fresh unit of work as a request has one:
(a) the busiest commune's quota line, (b) the whole quota table, (c) the dashboard (the
function behind GET /dashboard), (d) the yearly report (`annual.service.build`) of the
district as DOCX and XLSX and of the busiest commune as DOCX (it lists the unit's commended
exemplars from the facts), then where the district report's time goes, and (a), (c) again
through the app over in-process HTTP when a nats-server is installed.

--verify (use a small N, say 3000) also sends the same nominations' events, in time order,
through the projector (`projections.projector.project`, 500 events a transaction) into a second
fresh database, and checks that both hold the same facts, locks and tallies: the bulk seeder
counts exactly as the service does.

Reading the figures: milliseconds; p95 of 30 runs is about the second slowest, so one hiccup
moves p99 and max most. "cpu p50" is this process's CPU (all threads) per call: well below
the wall time, the call was waiting for the database or for a core. The load average is
printed before and after: other work on the box (a test run) inflates every figure. HTTP is
an in-process ASGI call (no sockets): it adds routing, the token check, tracing and JSON,
never network time. The database server runs on the same two cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from exemplar.auth import Principal
from exemplar.cli import account_token
from exemplar.clock import VIETNAM
from exemplar.db import Database
from exemplar.events import (
    CaseDecidedV1,
    DecisionRef,
    DecisionRevokedV1,
    Event,
    ExemplarEscalatedV1,
    NominationSubmittedV1,
    NominationWithdrawnV1,
    Nominee,
    StoryPublishedV1,
    StoryWithdrawnV1,
    decode,
    wrap,
)
from exemplar.migrations import upgrade
from exemplar.profile import Channel, Profile, Unit, load_profile
from exemplar.testing import NatsServer, auth, nats_available, pg_execute, run_service
from exemplar.uow import UnitOfWork
from reporting.dashboard import api as dashboard_api
from reporting.projections import store
from reporting.projections.derive import (
    Facts,
    Story,
    Subject,
    TallyKey,
    nomination_keys,
    story_keys,
)
from reporting.projections.projector import project
from reporting.projections.replay import VERSION
from reporting.quotas.service import quota_table

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
WARMUP, CHUNK, PROJECT_BATCH = 3, 20_000, 500
TARGETS = {"quota": (10.0, 2.0), "report": (500.0, 200.0)}  # §8 p95 in ms: must, goal

# Where the year's nominations come from (relative weights: a few units with many).
UNIT_WEIGHTS = {
    "xa-dak-o": 14, "xa-phu-nghia": 12, "xa-duc-hanh": 6, "xa-binh-thang": 6,
    "xa-bu-gia-map": 5, "xa-da-kia": 5, "xa-phuoc-minh": 5, "xa-phu-van": 4,
    "phong-gddt": 15, "cty-cao-su-phu-nghia": 8, "ttyt-huyen": 5, "hoi-nong-dan": 3,
    "hoi-phu-nu": 3, "huyen-doan": 2, "ldld-huyen": 2, "phong-nnptnt": 2,
    "hoi-cuu-chien-binh": 1, "phong-vhtt": 1, "phong-tckh": 1, "phong-noi-vu": 1,
    "mttq-huyen": 0.5, "huyen-uy": 0.5, "ban-tuyen-giao": 0.3, "trung-tam-chinh-tri": 0.3,
    "dai-truyen-thanh": 0.3,
}  # fmt: skip
# The field most of a unit's nominees work in (communes: farming); the rest spread out.
MAIN_FIELD = {
    "phong-gddt": "giao_duc", "ttyt-huyen": "y_te", "phong-nnptnt": "nong_nghiep",
    "hoi-nong-dan": "nong_nghiep", "cty-cao-su-phu-nghia": "kinh_te", "ldld-huyen": "kinh_te",
    "phong-tckh": "kinh_te", "phong-noi-vu": "cai_cach_hanh_chinh",
    "huyen-uy": "xay_dung_he_thong_chinh_tri", "ban-tuyen-giao": "xay_dung_he_thong_chinh_tri",
    "trung-tam-chinh-tri": "xay_dung_he_thong_chinh_tri", "hoi-cuu-chien-binh":
    "quoc_phong_an_ninh", "huyen-doan": "van_hoa_xa_hoi", "hoi-phu-nu": "van_hoa_xa_hoi",
    "mttq-huyen": "van_hoa_xa_hoi", "phong-vhtt": "van_hoa_xa_hoi",
    "dai-truyen-thanh": "van_hoa_xa_hoi",
}  # fmt: skip
KINDS = {"individual": 85, "collective": 12, "household": 3}
COMMENDATION_KINDS = {"regular": 90, "ad_hoc": 7, "thematic": 3}
ETHNICITIES = {"Kinh": 70, "S'tiêng": 15, "M'nông": 8, "Tày": 4, "Nùng": 3}
GENDERS = {"female": 49, "male": 50, None: 1}  # None: not given on the form
PROPOSED = {  # a regular commendation's proposal by nominee kind (others: award forms)
    "individual": {"lao_dong_tien_tien": 70, "chien_si_thi_dua_co_so": 10,
                   "giay_khen_chu_tich_huyen": 12, "giay_khen_chu_tich_xa": 8},
    "collective": {"tap_the_lao_dong_tien_tien": 60, "tap_the_lao_dong_xuat_sac": 15,
                   "giay_khen_chu_tich_huyen": 20, "giay_khen_chu_tich_xa": 5},
    "household": {"giay_khen_chu_tich_huyen": 50, "giay_khen_chu_tich_xa": 50},
}
AWARD_FORMS = {"giay_khen_chu_tich_huyen": 1, "giay_khen_chu_tich_xa": 1}
# Shares of all nominations; escalations are a count for the whole year.
WITHDRAWN, COMMENDED, REJECTED, REVOKED = 0.05, 0.70, 0.10, 0.005
PUBLICISED, SECOND_CHANNEL, STORY_TAKEN_DOWN, GOOD_DEEDS = 0.15, 0.3, 0.08, 0.003
ESCALATIONS, ESCALATED_AWARD = 40, "bang_khen_chu_tich_tinh"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Điểu", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"]
GIVEN = ["Văn Hùng", "Thị Hoa", "Minh Tuấn", "Thị Ngọc Lan", "Văn Bình", "Thị Mai", "Thanh Sơn"]
SIGNER = "Trần Quốc Hưng"


# -- one year of nominations ---------------------------------------------------------------

@dataclass(slots=True)
class StoryPlan:
    story_id: str
    channel: Channel
    unit_id: str
    year: int
    nomination_id: str | None
    good_deed_id: str | None
    title: str
    published_at: datetime
    withdrawn_at: datetime | None = None


@dataclass(slots=True)
class Plan:
    """One nomination's year: submitted, then perhaps withdrawn or decided, publicised,
    escalated, revoked."""

    nomination_id: str
    case_id: str
    year: int
    unit: Unit
    field: str
    nominee: Nominee
    commendation_kind: str
    proposed_award: str
    submitted_at: datetime
    withdrawn_at: datetime | None = None
    outcome: str | None = None
    award: str | None = None
    decision: DecisionRef | None = None
    decided_at: datetime | None = None
    fast_track: bool = False
    revocation: DecisionRef | None = None
    escalated_on: date | None = None
    stories: list[StoryPlan] = field(default_factory=list)


class Year:
    """Draws one year's nominations: the same ones for the same seed and N."""

    def __init__(self, profile: Profile, year: int, n: int, seed: int) -> None:
        self.profile, self.year, self.rng = profile, year, random.Random(seed)
        self.units = {u: profile.unit(u) for u in UNIT_WEIGHTS}
        self.fields = [f.id for f in profile.fields]
        self.escalation_share = ESCALATIONS / max(1.0, n * COMMENDED)
        self.start = datetime(year, 1, 2, 1, tzinfo=UTC)
        self._channels: dict[tuple, list[Channel]] = {}

    def channels(self, unit_id: str, field_id: str | None, event: str) -> list[Channel]:
        key = (unit_id, field_id, event)
        if key not in self._channels:
            self._channels[key] = news_channels(self.profile, unit_id, field_id, event)
        return self._channels[key]

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self, after: datetime, days: float) -> datetime:
        return after + timedelta(seconds=self.rng.uniform(60, days * 86400))

    def chunk(self, count: int) -> tuple[list[Plan], list[StoryPlan]]:
        plans = [self.nomination() for _ in range(count)]
        deeds = [self.good_deed() for _ in range(round(count * GOOD_DEEDS))]
        return plans, deeds

    def nomination(self) -> Plan:
        unit = self.units[self.pick(UNIT_WEIGHTS)]
        main = MAIN_FIELD.get(unit.id, "nong_nghiep")
        field_id = main if self.rng.random() < 0.6 else self.rng.choice(self.fields)
        kind, commendation_kind = self.pick(KINDS), self.pick(COMMENDATION_KINDS)
        proposed = self.pick(PROPOSED[kind] if commendation_kind == "regular" else AWARD_FORMS)
        if proposed == "giay_khen_chu_tich_xa" and unit.kind != "commune":
            proposed = "giay_khen_chu_tich_huyen"  # granted by a commune's own chair only
        plan = Plan(nomination_id=self.uuid(), case_id=self.uuid(), year=self.year, unit=unit,
                    field=field_id, nominee=self.nominee(kind),
                    commendation_kind=commendation_kind, proposed_award=proposed,
                    submitted_at=self.moment(self.start, 300))
        self.settle(plan)
        return plan

    def nominee(self, kind: str) -> Nominee:
        rng = self.rng
        name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
        if kind == "collective":
            return Nominee(kind=kind, name=f"Tổ sản xuất số {rng.randint(1, 400)}",
                           ethnicity="", member_count=rng.randint(5, 40))
        if kind == "household":
            return Nominee(kind=kind, name=f"Hộ gia đình ông {name}",
                           ethnicity=self.pick(ETHNICITIES))
        return Nominee(kind=kind, name=name, gender=self.pick(GENDERS),
                       ethnicity=self.pick(ETHNICITIES), birth_year=rng.randint(1960, 2000))

    def settle(self, plan: Plan) -> None:
        """Withdrawn, commended (some revoked, publicised, escalated), rejected or pending."""
        draw = self.rng.random()
        if draw < WITHDRAWN:
            plan.withdrawn_at = self.moment(plan.submitted_at, 20)
        elif draw < WITHDRAWN + COMMENDED:
            self.commend(plan)
        elif draw < WITHDRAWN + COMMENDED + REJECTED:
            plan.outcome, plan.decided_at = "rejected", self.decided_at()

    def decided_at(self) -> datetime:
        return self.moment(datetime(self.year, 11, 1, 1, tzinfo=UTC), 45)

    def commend(self, plan: Plan) -> None:
        award = self.profile.award(plan.proposed_award)
        if award.id == "chien_si_thi_dua_co_so" and self.rng.random() < 0.1:
            award = self.profile.award("lao_dong_tien_tien")  # the council granted less
        plan.outcome = "recognised" if award.category == "title" else "commended"
        plan.award, plan.decided_at = award.id, self.decided_at()
        plan.decision = decision_ref(self.rng.randint(150, 420), self.year)
        plan.fast_track = plan.commendation_kind == "ad_hoc" and self.rng.random() < 0.5
        if self.rng.random() < REVOKED / COMMENDED:
            plan.revocation = decision_ref(self.rng.randint(430, 460), self.year, revoking=True)
        elif self.rng.random() < self.escalation_share:
            plan.escalated_on = plan.decided_at.date() + timedelta(days=10)
        if self.rng.random() < PUBLICISED:
            self.publicise(plan)

    def publicise(self, plan: Plan) -> None:
        channels = self.channels(plan.unit.id, plan.field, "decided")
        count = 2 if self.rng.random() < SECOND_CHANNEL else 1
        for channel in self.rng.sample(channels, min(count, len(channels))):
            story = StoryPlan(
                story_id=self.uuid(), channel=channel, unit_id=plan.unit.id, year=self.year,
                nomination_id=plan.nomination_id, good_deed_id=None,
                title=f"Gương điển hình tiên tiến: {plan.nominee.name}",
                published_at=self.moment(plan.decided_at, 20))
            if plan.revocation is not None or self.rng.random() < STORY_TAKEN_DOWN:
                story.withdrawn_at = self.moment(story.published_at, 10)
            plan.stories.append(story)

    def good_deed(self) -> StoryPlan:
        unit = self.units[self.pick(UNIT_WEIGHTS)]
        channel = self.rng.choice(self.channels(unit.id, None, "good_deed"))
        story = StoryPlan(
            story_id=self.uuid(), channel=channel, unit_id=unit.id, year=self.year,
            nomination_id=None, good_deed_id=self.uuid(),
            title=f"Người tốt, việc tốt: {self.rng.choice(FAMILY)} {self.rng.choice(GIVEN)}",
            published_at=self.moment(self.start, 330))
        if self.rng.random() < STORY_TAKEN_DOWN:
            story.withdrawn_at = self.moment(story.published_at, 10)
        return story


@cache
def decision_ref(number: int, year: int, *, revoking: bool = False) -> DecisionRef:
    """One decision lists many nominees: its number fixes its date."""
    signed_on = date(year, 11, 10) + timedelta(days=number % 45 + (20 if revoking else 0))
    return DecisionRef(number=f"{number}/QĐ-UBND", signed_on=signed_on, signer=SIGNER,
                       signer_title="Chủ tịch")


def news_channels(profile: Profile, unit_id: str, field_id: str | None,
                  event: str) -> list[Channel]:
    """The channels whose subscription takes this unit's (and field's) `event`; a
    subscription to a unit covers the units below it."""
    lineage, unit = set(), profile.unit(unit_id)
    while unit is not None:
        lineage.add(unit.id)
        unit = profile.unit(unit.parent) if unit.parent else None
    return [c for c in profile.channels if event in c.subscription.events
            and (c.subscription.units == "all" or lineage & set(c.subscription.units))
            and (c.subscription.fields == "all" or field_id in c.subscription.fields)]


# -- what the projections hold after that year ---------------------------------------------

def _nominee_values(plan: Plan) -> dict:
    n = plan.nominee
    return dict(unit_id=plan.unit.id, unit_name=plan.unit.name, year=plan.year,
                field=plan.field, nominee_kind=n.kind, nominee_name=n.name, gender=n.gender,
                ethnicity=n.ethnicity, commendation_kind=plan.commendation_kind)


def fact_rows(plan: Plan, profile: Profile) -> Iterator[tuple[str, dict]]:
    """The rows the projector writes for this nomination's events (table, values)."""
    key, who = dict(nomination_id=plan.nomination_id), _nominee_values(plan)
    yield "projection_lock", {"key": plan.nomination_id}
    yield "nomination_fact", dict(**key, **who, revision=1, unit_kind=plan.unit.kind,
                                  proposed_award=plan.proposed_award,
                                  submitted_at=plan.submitted_at)
    if plan.withdrawn_at is not None:
        yield "withdrawal_fact", dict(**key, revision=1, reason="Đơn vị rút hồ sơ",
                                      withdrawn_at=plan.withdrawn_at)
    if plan.outcome is not None:
        ref = plan.decision
        yield "decision_fact", dict(
            **key, **who, case_id=plan.case_id, revision=1, unit_kind=plan.unit.kind,
            outcome=plan.outcome, award=plan.award,
            award_name=profile.award(plan.award).name if plan.award else None,
            decision_number=ref and ref.number, signed_on=ref and ref.signed_on,
            signer=ref and ref.signer, fast_track=plan.fast_track, decided_at=plan.decided_at)
    if plan.revocation is not None:
        yield "revocation_fact", dict(**key, decision_number=plan.decision.number,
                                      reason="Kê khai sai thành tích",
                                      revocation_number=plan.revocation.number,
                                      revoked_on=plan.revocation.signed_on)
    if plan.escalated_on is not None:
        del who["commendation_kind"]  # the decision's: not kept twice
        yield "escalation_fact", dict(**key, **who, proposed_award=ESCALATED_AWARD,
                                      escalated_on=plan.escalated_on)
    for story in plan.stories:
        yield from story_rows(story)


def story_rows(story: StoryPlan) -> Iterator[tuple[str, dict]]:
    """A story counts on its own, under its own lock row, nomination or not."""
    yield "projection_lock", {"key": f"story:{story.story_id}"}
    yield "story_fact", story_row(story)


def story_row(story: StoryPlan) -> dict:
    down = story.withdrawn_at is not None
    return dict(story_id=story.story_id, channel_id=story.channel.id,
                channel_kind=story.channel.kind, unit_id=story.unit_id, year=story.year,
                nomination_id=story.nomination_id, good_deed_id=story.good_deed_id,
                title=story.title, url=story_url(story), published_at=story.published_at,
                withdrawn_at=story.withdrawn_at,
                withdrawn_reason="Gỡ bài theo yêu cầu của đơn vị" if down else None)


def story_url(story: StoryPlan) -> str | None:
    if story.channel.kind != "portal_column":
        return None  # only the portal's columns give a page address
    return f"https://bugiamap.binhphuoc.gov.vn/{story.channel.id}/{story.story_id}"


def _subject(plan: Plan, award: str | None) -> Subject:
    n = plan.nominee
    return Subject(year=plan.year, unit_id=plan.unit.id, field=plan.field,
                   nominee_kind=n.kind, gender=n.gender, ethnicity=n.ethnicity,
                   commendation_kind=plan.commendation_kind, award=award)


def _story(story: StoryPlan) -> Story:
    return Story(story_id=story.story_id, channel_id=story.channel.id,
                 channel_kind=story.channel.kind, unit_id=story.unit_id, year=story.year,
                 live=story.withdrawn_at is None,
                 published_on=story.published_at.astimezone(VIETNAM).date())


def facts_of(plan: Plan) -> Facts:
    """What `projections.facts.facts_of` reads back once every event of the plan is in."""
    number = plan.decision.number if plan.decision else None
    return Facts(
        submitted=_subject(plan, plan.proposed_award), withdrawn=plan.withdrawn_at is not None,
        decided=replace(_subject(plan, plan.award), signed_on=plan.decision and
                        plan.decision.signed_on) if plan.outcome else None,
        outcome=plan.outcome,
        decision_number=number, revoked_number=number if plan.revocation else None,
        escalated=_subject(plan, ESCALATED_AWARD) if plan.escalated_on else None,
        escalated_on=plan.escalated_on,
        stories=[_story(s) for s in plan.stories])


def counted(plan: Plan) -> Iterator[TallyKey]:
    """What the nomination counts for, then each of its stories on its own (as the
    projector moves them: a nomination's two stories on one channel are two stories)."""
    yield from nomination_keys(facts_of(plan))
    for story in plan.stories:
        yield from story_keys(_story(story))


def tally_rows(tallies: Counter) -> list[dict]:
    return [dict(k._asdict(), count=c) for k, c in sorted(tallies.items()) if c]


# -- bulk loading --------------------------------------------------------------------------

class Loader:
    """COPY on PostgreSQL (asyncpg), executemany in large batches on SQLite."""

    def __init__(self, db: Database) -> None:
        self.db, self.pg, self.conn = db, None, None

    async def __aenter__(self) -> Loader:
        if self.db.is_postgres:
            import asyncpg

            url = make_url(self.db.url).set(drivername="postgresql")
            self.pg = await asyncpg.connect(url.render_as_string(False))
        else:
            self.conn = await self.db.engine.connect()
        return self

    async def __aexit__(self, *exc_info) -> None:
        if self.pg is not None:
            await self.pg.close()
        if self.conn is not None:
            await self.conn.close()

    async def load(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        if self.pg is not None:
            columns = list(rows[0])
            records = [tuple(row[c] for c in columns) for row in rows]
            await self.pg.copy_records_to_table(table, records=records, columns=columns)
            return
        await self.conn.execute(insert(store.Base.metadata.tables[table]), rows)
        await self.conn.commit()

    async def analyse(self) -> None:
        """Planner statistics, as autovacuum would have them on a live database."""
        if self.pg is not None:
            await self.pg.execute("VACUUM ANALYZE")
        else:
            await self.conn.execute(text("ANALYZE"))
            await self.conn.commit()


@dataclass
class Seeded:
    rows: Counter = field(default_factory=Counter)
    derive_s: float = 0.0  # drawing the year, building the rows, summing the tallies
    load_s: float = 0.0
    analyse_s: float = 0.0


async def seed(db: Database, profile: Profile,
               chunks: Iterator[tuple[list[Plan], list[StoryPlan]]]) -> Seeded:
    """Load the facts of each chunk of nominations (and good deeds) and, at the end, the
    tallies: the sum of what each counts for (`derive`), as the projector moves them."""
    out, tallies = Seeded(), Counter()
    async with Loader(db) as loader:
        started = time.perf_counter()
        for plans, deeds in chunks:
            rows: dict[str, list[dict]] = defaultdict(list)
            for plan in plans:
                for table, row in fact_rows(plan, profile):
                    rows[table].append(row)
                tallies.update(counted(plan))
            for deed in deeds:
                for table, row in story_rows(deed):
                    rows[table].append(row)
                tallies.update(story_keys(_story(deed)))
            loaded = time.perf_counter()
            for table, batch in rows.items():
                await loader.load(table, batch)
                out.rows[table] += len(batch)
            out.load_s += time.perf_counter() - loaded
        rows = {"tally": tally_rows(tallies), "projection_version": [dict(
            name="reporting", version=VERSION, built_at=datetime.now(UTC))]}
        for table, batch in rows.items():
            await loader.load(table, batch)
            out.rows[table] += len(batch)
        out.derive_s = time.perf_counter() - started - out.load_s
        started = time.perf_counter()
        await loader.analyse()
        out.analyse_s = time.perf_counter() - started
    return out


async def seed_budgets(db: Database, profile: Profile, year: int) -> int:
    """Each unit that owes a quota has its estimate for the year, every other one still a
    draft, whose bonus line is computed from the standing commendations when read."""
    from reporting.budgets import service as budgets
    from reporting.budgets.domain import Line
    from reporting.idempotency import Once
    from reporting.quotas.rules import owing_units

    lines = [Line(task="tuyen_truyen", amount=15_000_000), Line(task="hoi_nghi",
             amount=20_000_000), Line(task="tap_huan", amount=8_000_000)]
    units = owing_units(profile, year)
    for i, unit in enumerate(units):
        user = Principal(sub=f"bench.{unit.id}", name="Cán bộ thi đua", unit=unit.id,
                         roles=frozenset({"unit_officer"}))
        async with UnitOfWork(db, source="reporting") as uow:
            estimate = await budgets.create_estimate(uow, profile=profile, user=user,
                                                     unit_id=unit.id, year=year, lines=lines,
                                                     notes=None, once=Once(
                                                         None, "create_estimate", {}))
        if i % 2:
            async with UnitOfWork(db, source="reporting") as uow:
                await budgets.submit_estimate(uow, profile=profile, user=user,
                                              estimate_id=estimate.row.id,
                                              expected_version=estimate.row.version)
    return len(units)


def year_chunks(profile: Profile, args) -> Iterator[tuple[list[Plan], list[StoryPlan]]]:
    drawn = Year(profile, args.year, args.nominations, args.seed)
    for start in range(0, args.nominations, CHUNK):
        yield drawn.chunk(min(CHUNK, args.nominations - start))


# -- --verify: the same year through the projector -----------------------------------------

def events_of(plan: Plan, profile: Profile) -> Iterator[tuple[datetime, Event]]:
    """The events other services send about this nomination, each with its time."""
    unit, n = plan.unit, plan.nominee
    who = dict(nomination_id=plan.nomination_id, unit_id=unit.id, year=plan.year)
    named = dict(**who, unit_name=unit.name, nominee=n, field=plan.field)
    yield plan.submitted_at, NominationSubmittedV1(
        **named, revision=1, unit_kind=unit.kind, proposed_award=plan.proposed_award,
        commendation_kind=plan.commendation_kind, achievement_summary="Hoàn thành xuất sắc.",
        submitted_by="bench", submitted_at=plan.submitted_at)
    if plan.withdrawn_at is not None:
        yield plan.withdrawn_at, NominationWithdrawnV1(
            **who, revision=1, reason="Đơn vị rút hồ sơ", withdrawn_by="bench")
    if plan.outcome is not None:
        yield plan.decided_at, CaseDecidedV1(
            **named, case_id=plan.case_id, revision=1, unit_kind=unit.kind,
            outcome=plan.outcome, award=plan.award,
            award_name=profile.award(plan.award).name if plan.award else None,
            commendation_kind=plan.commendation_kind, decision=plan.decision,
            fast_track=plan.fast_track)
    if plan.escalated_on is not None:
        yield _at(plan.escalated_on), ExemplarEscalatedV1(
            **named, case_id=plan.case_id, unit_kind=unit.kind, proposed_award=ESCALATED_AWARD,
            decision=plan.decision, escalated_by="noi-vu.head", escalated_on=plan.escalated_on)
    if plan.revocation is not None:
        yield _at(plan.revocation.signed_on), DecisionRevokedV1(
            **who, case_id=plan.case_id, decision_number=plan.decision.number,
            reason="Kê khai sai thành tích", revocation=plan.revocation)
    for story in plan.stories:
        yield from story_events(story)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)


def story_events(story: StoryPlan) -> Iterator[tuple[datetime, Event]]:
    where = dict(story_id=story.story_id, channel_id=story.channel.id, unit_id=story.unit_id,
                 year=story.year, nomination_id=story.nomination_id, url=story_url(story))
    yield story.published_at, StoryPublishedV1(
        **where, channel_kind=story.channel.kind, good_deed_id=story.good_deed_id,
        title=story.title, published_at=story.published_at)
    if story.withdrawn_at is not None:
        yield story.withdrawn_at, StoryWithdrawnV1(
            **where, reason="Gỡ bài theo yêu cầu của đơn vị", withdrawn_at=story.withdrawn_at)


def stream(plans: list[Plan], deeds: list[StoryPlan], profile: Profile) -> list:
    """Every event of the year in time order, as the bus would deliver it: envelope and
    event decoded from the bytes, as a consumer gets them."""
    timed = [e for p in plans for e in events_of(p, profile)]
    timed += [e for d in deeds for e in story_events(d)]
    timed.sort(key=lambda pair: pair[0])
    out = []
    for at, event in timed:
        subject = getattr(event, "nomination_id", None) or event.story_id
        envelope = wrap(event, source=event.producer(), subject=subject)
        out.append(decode(envelope.model_copy(update={"time": at}).to_bytes()))
    return out


async def project_all(db: Database, events: list) -> float:
    started = time.perf_counter()
    for i in range(0, len(events), PROJECT_BATCH):
        async with UnitOfWork(db, source="reporting") as uow:
            for envelope, event in events[i:i + PROJECT_BATCH]:
                await project(uow.session, envelope, event, trace_id=None)
            await uow.commit()
    return time.perf_counter() - started


COMPARED = (store.NominationFact, store.WithdrawalFact, store.DecisionFact,
            store.RevocationFact, store.EscalationFact, store.StoryFact, store.ProjectionLock)


async def contents(db: Database) -> tuple[dict[str, list[tuple]], int]:
    """Every compared table's rows in key order, and how many tally rows are at zero (a
    count moved back to zero keeps its row; figures read `count > 0` only)."""
    out = {}
    tally = store.Tally.__table__
    async with db.engine.connect() as conn:
        for table in [m.__table__ for m in COMPARED] + [tally]:
            query = select(table).order_by(*table.primary_key.columns)
            if table is tally:
                query = query.where(tally.c.count != 0)
            out[table.name] = [tuple(r) for r in (await conn.execute(query)).all()]
        zeros = (await conn.execute(select(func.count()).where(tally.c.count == 0))
                 ).scalar_one()
    return out, zeros


async def verify(admin: str | None, tmp: Path, seeded_db: Database, profile: Profile,
                 plans: list[Plan], deeds: list[StoryPlan]) -> bool:
    events = stream(plans, deeds, profile)
    async with fresh_database(admin, tmp, "projected") as projected_db:
        seconds = await project_all(projected_db, events)
        (seeded, _), (projected, zeros) = await contents(seeded_db), await contents(projected_db)
    print(f"\n--verify: {len(events):,} events of {len(plans):,} nominations and "
          f"{len(deeds):,} good deeds through projector.project in {seconds:.1f} s "
          f"({len(events) / seconds:,.0f} events/s, {PROJECT_BATCH} a transaction)")
    same = True
    for name, rows in seeded.items():
        equal = rows == projected[name]
        same &= equal
        differ = len(set(rows) ^ set(projected[name]))
        print(f"  {name:<16}{len(rows):>9,} rows  "
              f"{'identical' if equal else f'DIFFERENT: {differ} rows in one only'}")
    print(f"  (the projected tally also keeps {zeros:,} rows at 0, which no figure reads)")
    verdict = "seeded = projected" if same else "MISMATCH: the seeder does not count as the service"
    print(f"  verdict: {verdict}")
    return same


# -- the measures --------------------------------------------------------------------------

Work = Callable[[UnitOfWork], Awaitable[object]]
OFFICE = "noi-vu.head"


@dataclass
class Result:
    label: str
    target: str | None  # a key of TARGETS
    samples: list[float]  # ms, wall clock
    cpu: list[float]  # ms of this process's CPU (all threads) over the same calls


async def timed(call: Callable[[], Awaitable[object]], runs: int) -> tuple[list[float],
                                                                            list[float]]:
    """Wall and process CPU ms per call, after the warm-up runs."""
    for _ in range(WARMUP):
        await call()
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        await call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return wall, cpu


def in_uow(db: Database, work: Work) -> Callable[[], Awaitable[None]]:
    """The work on a fresh unit of work (session, connection from the pool), as a request."""
    async def call() -> None:
        async with UnitOfWork(db, source="reporting") as uow:
            await work(uow)

    return call


def office_user(profile: Profile) -> Principal:
    account = profile.account(OFFICE)
    return Principal(sub=account.id, name=account.name, unit=account.unit,
                     roles=frozenset(account.roles))


def works(profile: Profile, year: int, on: date, unit_id: str) -> list[tuple[str, str | None,
                                                                            Work]]:
    user, runtime = office_user(profile), SimpleNamespace(profile=profile)
    out = [
        (f"(a) one unit's quota ({unit_id})", "quota",
         lambda uow: quota_table(uow, profile, year=year, on=on, unit_id=unit_id)),
        ("(b) quota table, all units", None,
         lambda uow: quota_table(uow, profile, year=year, on=on)),
        ("(c) dashboard (GET /dashboard's function)", None,
         lambda uow: dashboard_api.dashboard(user, uow, runtime, year)),
    ]
    return out + report_works(profile, year, on, unit_id)


def report_works(profile: Profile, year: int, on: date,
                 unit_id: str) -> list[tuple[str, str | None, Work]]:
    """(d) the district's yearly report, and the busiest commune's (which lists its
    commended exemplars from the facts), once the annual report module is there."""
    try:
        from reporting.annual import service as annual
    except ImportError:
        return []
    cases = [(None, "docx"), (None, "xlsx"), (unit_id, "docx")]
    return [(f"(d) yearly report, {unit or 'district'}, {fmt}", "report",
             lambda uow, unit=unit, fmt=fmt: annual.build(uow, profile, year=year,
                                                          unit_id=unit, on=on, fmt=fmt))
            for unit, fmt in cases]


async def report_phases(db: Database, profile: Profile, year: int, on: date,
                        runs: int) -> list[Result]:
    """Where the district report's time goes: its reads (of which the budget summary: a
    draft estimate's bonus line is computed from the standing commendations) and each
    rendering, timed apart with the same functions `annual.service.build` calls."""
    try:
        from reporting.annual import service as annual
        from reporting.budgets import service as budgets
    except ImportError:
        return []
    gathered = []

    async def reads(uow: UnitOfWork) -> None:
        gathered.append(await annual.gather(uow, profile, year=year, on=on))

    async def budget(uow: UnitOfWork) -> None:
        await budgets.year_summary(uow.session, profile, year=year, unit_id=None)

    out = [Result("  district: reads (annual.service.gather)", None,
                  *await timed(in_uow(db, reads), runs)),
           Result("    of which budgets.year_summary", None,
                  *await timed(in_uow(db, budget), runs))]
    for fmt in ("docx", "xlsx"):
        async def render(fmt=fmt) -> None:
            await asyncio.to_thread(annual.render, gathered[-1], fmt)
        out.append(Result(f"  district: render {fmt} (in a thread)", None,
                          *await timed(render, runs)))
    return out


async def over_http(url: str, tmp: Path, args, unit_id: str, on: date) -> list[Result]:
    """(a) and (c) again through the app (routing, token, JSON), in-process."""
    nats = NatsServer(tmp / "nats")
    nats.start()
    try:
        async with run_service("reporting", database_url=url, nats_url=nats.url,
                               key_dir=tmp / "keys", var_dir=tmp / "reporting",
                               log_level="WARNING") as svc:
            headers = auth(account_token(OFFICE, key_dir=tmp / "keys"))
            gets = [(f"(a) GET /quotas?unit_id={unit_id}", "quota", "/quotas",
                     {"year": args.year, "unit_id": unit_id, "on": on.isoformat()}),
                    ("(c) GET /dashboard", None, "/dashboard", {"year": args.year})]
            out = []
            for label, target, path, params in gets:
                async def get(path=path, params=params) -> None:
                    response = await svc.client.get(path, params=params, headers=headers)
                    response.raise_for_status()
                out.append(Result(label, target, *await timed(get, args.runs)))
            return out
    finally:
        nats.stop()


async def busiest_commune(db: Database, profile: Profile, year: int) -> str:
    tally = store.Tally.__table__
    communes = [u.id for u in profile.communes()]
    query = (select(tally.c.unit_id).where(
        tally.c.year == year, tally.c.unit_id.in_(communes), tally.c.dimension == "all",
        tally.c.measure.in_(["submitted", "withdrawn"]))
        .group_by(tally.c.unit_id).order_by(func.sum(tally.c.count).desc()).limit(1))
    async with db.engine.connect() as conn:
        return (await conn.execute(query)).scalar_one()


async def measure(db: Database, profile: Profile, args, tmp: Path) -> list[Result]:
    on = date(args.year, 12, 31)
    unit_id = await busiest_commune(db, profile, args.year)
    results = [Result(label, target, *await timed(in_uow(db, work), args.runs))
               for label, target, work in works(profile, args.year, on, unit_id)]
    results += await report_phases(db, profile, args.year, on, args.runs)
    if nats_available():
        results += await over_http(db.url, tmp, args, unit_id, on)
    return results


# -- databases and output ------------------------------------------------------------------

@asynccontextmanager
async def fresh_database(admin: str | None, tmp: Path, name: str) -> AsyncIterator[Database]:
    """A new migrated reporting database: a PostgreSQL database dropped on the way out (also
    on an error or Ctrl-C), or a SQLite file under `tmp`."""
    if admin:
        database = f"exemplar_bench_report_{os.getpid()}_{name}"
        url = make_url(admin).set(database=database).render_as_string(False)
        await pg_execute(admin, f'CREATE DATABASE "{database}"')
    else:
        url = f"sqlite+aiosqlite:///{tmp / name}.db"
    db = None
    try:
        await asyncio.to_thread(upgrade, "reporting:migrations", url)
        db = Database.open(url, store.Base.metadata)
        yield db
    finally:
        if db is not None:
            await db.close()
        if admin:
            await pg_execute(admin, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


async def describe(db: Database) -> tuple[str, int]:
    """The database server and the database's size in bytes."""
    async with db.engine.connect() as conn:
        if db.is_postgres:
            version = (await conn.execute(text("SHOW server_version"))).scalar_one()
            size = (await conn.execute(text(
                "SELECT pg_database_size(current_database())"))).scalar_one()
            return f"PostgreSQL {version.split()[0]}", size
        version = (await conn.execute(text("SELECT sqlite_version()"))).scalar_one()
    path = Path(make_url(db.url).database)
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return f"SQLite {version}", size


def print_seeding(args, server: str, size: int, seeded: Seeded) -> None:
    total = seeded.derive_s + seeded.load_s + seeded.analyse_s
    print(f"yearly report benchmark: N = {args.nominations:,} nominations of {args.year}, "
          f"profile bu-gia-map-2023, {server}, {os.cpu_count()} CPUs")
    print(f"seeding: {total:.1f} s (draw the year, build rows, sum derive's keys "
          f"{seeded.derive_s:.1f} s; bulk load {seeded.load_s:.1f} s; "
          f"{'VACUUM ANALYZE' if 'Postgre' in server else 'ANALYZE'} {seeded.analyse_s:.1f} s)"
          f"; database size {size / 2**20:,.0f} MiB")
    print(f"load average before the measures (1, 5, 15 min): "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("rows: " + ", ".join(f"{t} {n:,}" for t, n in sorted(seeded.rows.items())))


def verdict(p95: float, target: str | None) -> str:
    if target is None:
        return "(no §8 target)"
    must, goal = TARGETS[target]
    return "meets" if p95 <= goal else "misses goal" if p95 <= must else "misses must"


def print_results(results: list[Result], args) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nload average after the measures (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
    print(f"{f'ms, {args.runs} runs after {WARMUP} warm-ups':<44}{'p50':>7}{'p95':>7}"
          f"{'p99':>7}{'max':>7}{'cpu p50':>8}   §8 p95 must/goal  verdict")
    for r in results:
        cuts = statistics.quantiles(r.samples, n=100, method="inclusive")
        target = "" if r.target is None else "≤ {:g} / ≤ {:g}".format(*TARGETS[r.target])
        print(f"{r.label:<44}{cuts[49]:>7.1f}{cuts[94]:>7.1f}{cuts[98]:>7.1f}"
              f"{max(r.samples):>7.1f}{statistics.median(r.cpu):>8.1f}   {target:<17}"
              f"{verdict(cuts[94], r.target)}")
    if not any(r.target == "report" for r in results):
        print("(d) yearly report: not measured, reporting.annual is not there yet")
    if not nats_available():
        print("HTTP: not measured, no nats-server installed")


async def main(args) -> bool:
    profile = load_profile()
    admin = ((os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG)
             if args.database == "postgres" else None)
    with tempfile.TemporaryDirectory(prefix="exemplar-bench-report-") as tmp_name:
        tmp = Path(tmp_name)
        async with fresh_database(admin, tmp, "seeded") as db:
            chunks = list(year_chunks(profile, args)) if args.verify else None
            seeded = await seed(db, profile, iter(chunks) if chunks else
                                year_chunks(profile, args))
            seeded.rows["budget_estimate"] = await seed_budgets(db, profile, args.year)
            print_seeding(args, *await describe(db), seeded)
            same = True
            if chunks:
                plans = [p for c in chunks for p in c[0]]
                same = await verify(admin, tmp, db, profile, plans,
                                    [d for c in chunks for d in c[1]])
            print_results(await measure(db, profile, args, tmp), args)
    return same


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nominations", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verify", action="store_true",
                        help="also project the same events and compare (use a small N)")
    try:
        same = asyncio.run(main(parser.parse_args()))
    except KeyboardInterrupt:
        raise SystemExit("interrupted (the benchmark's databases are dropped)") from None
    raise SystemExit(0 if same else 1)

"""Settings of the publication service."""

from typing import Literal

from pydantic import AnyHttpUrl, Field

from exemplar.config import ServiceSettings


class Settings(ServiceSettings):
    # Fixed: a stray SERVICE_NAME must not make this service take another's consumers.
    service_name: Literal["publication"] = "publication"
    # Where the public reaches the portal pages: the base of every published story's URL.
    public_base_url: str = "http://127.0.0.1:8003"

    # Social delivery. SOCIAL_ENDPOINTS is a JSON object, channel id → URL that receives the
    # channel's published stories, e.g. {"zalo-huyen": "https://relay.example/zalo"}; it
    # overrides the channel's `endpoint` in the profile, so a deployment sets its webhooks
    # (which may carry secrets) without editing the profile. No URL: nothing is sent.
    social_endpoints: dict[str, AnyHttpUrl] = Field(default_factory=dict)
    # One attempt, connection to answer, never lasts longer than this.
    social_timeout_seconds: float = Field(default=5.0, gt=0, le=120)
    # Attempts before a delivery is given up as failed (a 4xx other than 429 fails at once);
    # with the backoff below, 12 keep trying for about an hour.
    social_max_attempts: int = Field(default=12, ge=1, le=100)
    # Retry n waits about base·2^(n-1) seconds (half of it fixed, half random), at most max.
    social_backoff_base_seconds: float = Field(default=2.0, gt=0)
    social_backoff_max_seconds: float = Field(default=900.0, gt=0)
    # Sends in flight at once, every channel together; each has its own timeout.
    social_concurrency: int = Field(default=8, ge=1, le=256)
    # How often the delivery worker and the scheduler look for due work.
    social_poll_seconds: float = Field(default=1.0, gt=0)
    scheduler_poll_seconds: float = Field(default=5.0, gt=0)

    # Radio: reading rate of the scripts (Vietnamese news pace), the running time a slot
    # fills with reruns when nothing is scheduled, how long one synthesis may take, and how
    # long an unrequested audio file is kept.
    radio_words_per_minute: int = Field(default=160, ge=60, le=400)
    radio_slot_budget_seconds: int = Field(default=600, ge=30, le=7200)
    radio_synthesis_timeout_seconds: float = Field(default=120.0, gt=0, le=900)
    radio_audio_keep_days: float = Field(default=3, gt=0)

    # Column freshness: how often every regular column is checked for a quiet gap.
    column_check_seconds: float = Field(default=3600.0, gt=0)

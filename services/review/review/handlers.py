"""Events the review service consumes: submissions open cases, withdrawals close them."""

from __future__ import annotations

from exemplar.events import NominationSubmittedV1, NominationWithdrawnV1
from exemplar.profile import Profile
from exemplar.runtime import Handlers
from exemplar.uow import UnitOfWork

from .cases import service


def subscriptions(profile: Profile) -> Handlers:
    async def on_nomination_submitted(event: NominationSubmittedV1, uow: UnitOfWork) -> None:
        await service.open_case(uow, event, profile=profile)

    async def on_nomination_withdrawn(event: NominationWithdrawnV1, uow: UnitOfWork) -> None:
        await service.close_case(uow, event, profile=profile)

    return {NominationSubmittedV1: on_nomination_submitted,
            NominationWithdrawnV1: on_nomination_withdrawn}

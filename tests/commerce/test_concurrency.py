"""Two tills redeem the same reward at the same moment: exactly one succeeds (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection

from eyelevel.commerce import services
from eyelevel.commerce.schemas import StampProgrammeIn
from eyelevel.core.errors import Conflict
from tests.commerce.conftest import receipt


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_tills_at_once_redeem_a_reward_only_once(catalogue, customer):  # type: ignore[no-untyped-def]
    services.create_programme(organisation=catalogue, data=StampProgrammeIn(name="Card", skus=["COF"],
                                                                             stamps_required=1, reward="Free"))
    services.record_receipts(organisation=catalogue, receipts=[receipt("R1", customer.pk, ("COF", 1, "3"))])
    reward_id = services.stamp_cards(organisation=catalogue, customer_id=customer.pk)[0].rewards[0].id
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def till(name: str) -> None:
        try:
            start.wait()
            services.redeem_reward(organisation=catalogue.pk, stamp_reward_id=reward_id, till=name)
            outcomes.append("redeemed")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=till, args=(f"till {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["redeemed", "refused"]
    assert services.get_reward(organisation=catalogue, stamp_reward_id=reward_id).redeemed_by in {"till 1", "till 2"}

"""What merging two organizations moves of annual reviews (partners.merge): every review goes
to the survivor. A year both had reviewed keeps the survivor's review as that year's, and the
other's, archived, beside it: words a partner said are never dropped."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from core.history import update_with_history
from partners.merge import Link, links_register
from reviews.models import PartnershipReview


@dataclass(frozen=True)
class ReviewsLink(Link):
    def move(self, *, survivor_pk: int, other_pk: int) -> tuple[int, int]:
        kept = PartnershipReview.objects.filter(
            organization_id=survivor_pk, year=OuterRef("year"), is_archived=False
        )
        update_with_history(self.rows(other_pk).filter(Exists(kept)), is_archived=True)
        return super().move(survivor_pk=survivor_pk, other_pk=other_pk)


links_register(organization=[ReviewsLink(PartnershipReview, "organization", "annual reviews")])

"""The pipeline board: columns and counts, filters, paging, and moving cards (issue 6)."""

import datetime as dt

import pytest
from django.utils import timezone

from partners.models import FocusArea, Organization, Stage, StageChange
from partners.selectors import BOARD_PAGE_SIZE
from partners.services import organization_archive
from partners.tests.factories import OrganizationFactory

BOARD = "/pipeline/"
MOVE = "/pipeline/move/"
# Session, user, roles and time zone (4 at most), then the board's own: the counts (one grouped
# query), every column's cards (one query, the next follow-up as a subquery), and the owner and
# focus-area choices of the filter form (2).
BOARD_QUERIES = 4 + 1 + 1 + 2
# 4, then the organization, the locked row, the stage change, the update and its change-history
# row, the fresh card and the counts; plus the savepoint pair stage_change() opens inside the
# request.
MOVE_QUERIES = 13
N = BOARD_PAGE_SIZE


def json_move(client, data, query=""):
    return client.post(MOVE + query, data, headers={"Accept": "application/json"})


def columns(response) -> dict[str, dict]:
    return {column["stage"]: column for column in response.context["columns"]}


def names(column: dict) -> list[str]:
    return [organization.name for organization in column["cards"]]


def staggered(n: int, stage: str, **fields) -> list[Organization]:
    """n organizations at one stage, the last made the most recently moved."""
    start = timezone.now() - dt.timedelta(days=n)
    return [
        OrganizationFactory(
            name=f"{stage} partner {i:03}",
            stage=stage,
            stage_changed_at=start + dt.timedelta(days=i),
            **fields,
        )
        for i in range(n)
    ]


@pytest.mark.django_db
class TestColumns:
    def test_one_column_per_stage_in_pipeline_order_with_its_count(self, librarian_client):
        OrganizationFactory(name="County Health", stage=Stage.ACTIVE)
        OrganizationFactory(name="Eastside Clinic", stage=Stage.ACTIVE)
        OrganizationFactory(name="Riverside School", stage=Stage.DECLINED)
        organization_archive(organization=OrganizationFactory(name="Gone", stage=Stage.ACTIVE))

        response = librarian_client.get(BOARD)

        assert response.status_code == 200
        board = columns(response)
        assert list(board) == Stage.values
        assert {stage: column["count"] for stage, column in board.items()} == {
            "identified": 0,
            "researching": 0,
            "contacted": 0,
            "in_discussion": 0,
            "active": 2,
            "dormant": 0,
            "declined": 1,
        }
        assert sorted(names(board["active"])) == ["County Health", "Eastside Clinic"]
        html = response.content.decode()
        assert 'id="count-active">2<' in html
        assert "Gone" not in html

    def test_filters_narrow_the_cards_and_the_counts(self, librarian_client, librarian):
        literacy = FocusArea.objects.get_or_create(name="Literacy")[0]
        mine = OrganizationFactory(
            name="City Workforce Office",
            kind=Organization.Kind.GOVERNMENT,
            government_level=Organization.GovernmentLevel.CITY,
            owner=librarian,
            stage=Stage.CONTACTED,
        )
        mine.focus_areas.set([literacy])
        OrganizationFactory(
            name="State Library Agency",
            kind=Organization.Kind.GOVERNMENT,
            government_level=Organization.GovernmentLevel.STATE,
            stage=Stage.CONTACTED,
        )
        OrganizationFactory(name="Food Bank", stage=Stage.ACTIVE, owner=librarian)

        for query, expected in [
            ({"owner": librarian.pk}, {"contacted": 1, "active": 1}),
            ({"kind": "government"}, {"contacted": 2}),
            ({"government_level": "city"}, {"contacted": 1}),
            ({"focus_area": literacy.pk}, {"contacted": 1}),
            ({"kind": "government", "owner": librarian.pk}, {"contacted": 1}),
        ]:
            board = columns(librarian_client.get(BOARD, query))
            counts = {stage: column["count"] for stage, column in board.items() if column["count"]}
            assert counts == expected, query
            shown = {
                stage: len(column["cards"]) for stage, column in board.items() if column["cards"]
            }
            assert shown == expected, query


@pytest.mark.django_db
class TestShowMore:
    def test_a_column_shows_its_most_recently_moved_its_count_then_show_more_gives_the_next(
        self, librarian_client
    ):
        made = staggered(2 * N + 5, Stage.CONTACTED)
        newest_first = [organization.name for organization in reversed(made)]
        OrganizationFactory(name="Lone researcher", stage=Stage.RESEARCHING)

        response = librarian_client.get(BOARD)
        board = columns(response)
        assert names(board["contacted"]) == newest_first[:N]
        assert board["contacted"]["count"] == 2 * N + 5 and board["contacted"]["has_more"]
        assert not board["researching"]["has_more"]
        html = response.content.decode()
        assert f'id="count-contacted">{2 * N + 5}<' in html
        assert html.count('class="board-card"') == N + 1
        assert "stage=contacted&amp;page=2" in html
        assert 'Show more<span class="visually-hidden"> in Contacted</span>' in html
        assert "stage=researching&amp;page=2" not in html

        # htmx: only the next cards, and a "show more" that points at page 3.
        more = librarian_client.get(
            BOARD, {"stage": "contacted", "page": "2"}, headers={"HX-Request": "true"}
        )
        assert more.templates[0].name == "partners/partials/board_more.html"
        assert names(more.context["column"]) == newest_first[N : 2 * N]
        assert "page=3" in more.content.decode()
        last = librarian_client.get(
            BOARD, {"stage": "contacted", "page": "3"}, headers={"HX-Request": "true"}
        )
        assert names(last.context["column"]) == newest_first[2 * N :]
        assert "Show more" not in last.content.decode()

        # Without JavaScript the link reloads the board with that column N cards longer.
        longer = librarian_client.get(BOARD, {"stage": "contacted", "page": "2"})
        assert names(columns(longer)["contacted"]) == newest_first[: 2 * N]
        assert names(columns(longer)["researching"]) == ["Lone researcher"]
        assert "stage=contacted&amp;page=3" in longer.content.decode()

    def test_show_more_keeps_the_filters(self, librarian_client, librarian):
        staggered(N + 5, Stage.ACTIVE, owner=librarian)
        staggered(3, Stage.ACTIVE)
        html = librarian_client.get(BOARD, {"owner": librarian.pk}).content.decode()
        assert f"owner={librarian.pk}&amp;stage=active&amp;page=2" in html
        more = librarian_client.get(
            BOARD,
            {"owner": librarian.pk, "stage": "active", "page": "2"},
            headers={"HX-Request": "true"},
        )
        assert len(more.context["column"]["cards"]) == 5


@pytest.mark.django_db
class TestCards:
    def test_without_javascript_move_to_links_to_the_stage_form(self, librarian_client):
        clinic = OrganizationFactory(name="Eastside <Clinic>", stage=Stage.CONTACTED)
        html = librarian_client.get(BOARD).content.decode()
        assert f'href="/organizations/{clinic.pk}/stage/">Choose the new stage</a>' in html
        assert "Eastside &lt;Clinic&gt;" in html and "<Clinic>" not in html
        # One move form for the page, which board.js copies into a card when its menu opens.
        cards = html[html.index('id="board"') : html.index('<template id="board-move-form">')]
        assert "<form" not in cards and html.count('class="board-move-form"') == 1

    def test_a_card_is_compact_its_whole_name_in_its_title_and_no_follow_up_line_for_none(
        self, librarian_client
    ):
        long_name = "Riverside County Department of Public Health & Human Services"
        county = OrganizationFactory(name=long_name, stage=Stage.CONTACTED)
        html = librarian_client.get(BOARD).content.decode()
        start = html.index(f'id="card-{county.pk}"')
        card = html[start : html.index("</li>", start)]
        escaped = long_name.replace("&", "&amp;")
        assert f'class="board-card-name" href="/organizations/{county.pk}/"' in card
        assert f'title="{escaped}">{escaped}</a>' in card
        assert "<dt>Owner</dt>" in card and "<dt>Last touch</dt>" in card
        assert "Follow-up" not in card

    def test_a_moved_card_comes_back_as_the_board_draws_it(self, librarian_client):
        clinic = OrganizationFactory(name="Eastside Clinic", stage=Stage.CONTACTED)
        card = json_move(librarian_client, {"organization": clinic.pk, "to_stage": "active"})
        board = librarian_client.get(BOARD).content.decode()
        assert card.json()["card"] in board

    def test_queries_stay_the_same_from_one_card_to_full_columns_with_more(
        self, librarian_client, librarian, django_assert_max_num_queries
    ):
        counted = []
        for stage in Stage.values:
            OrganizationFactory(stage=stage, owner=librarian)
            with django_assert_max_num_queries(BOARD_QUERIES) as captured:
                librarian_client.get(BOARD)
            counted.append(len(captured))
        for stage in Stage.values:
            staggered(N + 2, stage, owner=librarian)
        with django_assert_max_num_queries(BOARD_QUERIES) as captured:
            response = librarian_client.get(BOARD)
        assert len(captured) == counted[0] == counted[-1]
        assert all(len(column["cards"]) == N for column in response.context["columns"])
        assert all(column["count"] == N + 3 for column in response.context["columns"])


@pytest.mark.django_db
class TestStageLinks:
    """One link per stage above the board: on a phone they choose the one column shown (also
    without JavaScript, as ?stage=), on a wider screen they skip to a column."""

    def current(self, html: str) -> list[str]:
        shown = 'board-column is-current" id="column-{}"'
        return [stage for stage in Stage.values if shown.format(stage) in html]

    def test_a_phone_shows_the_first_stage_until_another_is_chosen(
        self, librarian_client, librarian, django_assert_max_num_queries
    ):
        OrganizationFactory(name="Eastside Clinic", stage=Stage.DECLINED, owner=librarian)
        html = librarian_client.get(BOARD).content.decode()
        assert self.current(html) == ["identified"]
        assert 'href="?stage=declined#column-declined" data-stage="declined">' in html
        assert '<span class="board-skip">Skip to </span>Declined' in html
        assert 'data-stage="identified" aria-current="true">' in html
        assert 'name="stage" value="identified"' in html

        with django_assert_max_num_queries(BOARD_QUERIES + 1):  # + the owner filter's lookup
            response = librarian_client.get(BOARD, {"owner": librarian.pk, "stage": "declined"})
        html = response.content.decode()
        assert self.current(html) == ["declined"]
        assert f'href="?owner={librarian.pk}&amp;stage=contacted#column-contacted"' in html
        assert 'data-stage="declined" aria-current="true">' in html
        assert html.count('aria-current="true"') == 1
        assert 'name="stage" value="declined"' in html
        assert "Eastside Clinic" in html

    def test_an_unknown_stage_shows_the_first(self, librarian_client):
        html = librarian_client.get(BOARD, {"stage": "spaceship"}).content.decode()
        assert self.current(html) == ["identified"]


@pytest.mark.django_db
class TestMove:
    def test_a_move_records_one_stage_change_with_the_note_as_the_form_does(
        self, librarian_client, librarian
    ):
        on_board = OrganizationFactory(name="County Health", stage=Stage.CONTACTED)
        by_form = OrganizationFactory(name="Eastside Clinic", stage=Stage.CONTACTED)

        response = json_move(
            librarian_client,
            {"organization": on_board.pk, "to_stage": "in_discussion", "note": " Met Dana. "},
        )
        librarian_client.post(
            f"/organizations/{by_form.pk}/stage/",
            {"to_stage": "in_discussion", "note": " Met Dana. "},
        )

        assert response.status_code == 200
        result = response.json()
        assert result["ok"] and result["moved"] and result["stage"] == "in_discussion"
        assert result["counts"]["contacted"] == 1 and result["counts"]["in_discussion"] == 1
        assert f'id="card-{on_board.pk}"' in result["card"]
        assert "County Health moved to “In discussion”" in result["message"]

        def recorded(organization):
            organization.refresh_from_db()
            change = organization.stage_changes.exclude(from_stage="").get()
            return (
                organization.stage,
                change.from_stage,
                change.to_stage,
                change.note,
                change.changed_by,
                change.changed_at == organization.stage_changed_at,
            )

        assert recorded(on_board) == recorded(by_form)
        assert recorded(on_board) == (
            "in_discussion",
            "contacted",
            "in_discussion",
            "Met Dana.",
            librarian,
            True,
        )

    def test_without_javascript_the_form_returns_to_the_board_with_the_filters_kept(
        self, librarian_client, librarian
    ):
        organization = OrganizationFactory(name="County Health", owner=librarian)
        response = librarian_client.post(
            f"{MOVE}?owner={librarian.pk}&kind=nonprofit&stage=evil",
            {"organization": organization.pk, "to_stage": "researching", "note": ""},
        )
        assert response.status_code == 302
        assert response.url == f"{BOARD}?owner={librarian.pk}&kind=nonprofit#card-{organization.pk}"
        assert organization.stage_changes.count() == 2
        page = librarian_client.get(response.url)
        assert "County Health moved to “Researching”" in page.content.decode()

    def test_a_move_to_the_stage_it_is_at_records_nothing(self, librarian_client):
        organization = OrganizationFactory(stage=Stage.ACTIVE)
        response = json_move(
            librarian_client, {"organization": organization.pk, "to_stage": "active"}
        )
        assert response.status_code == 200
        assert response.json()["moved"] is False
        assert "nothing changed" in response.json()["message"]
        assert organization.stage_changes.count() == 1

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"to_stage": "spaceship"}, "Choose one of the pipeline stages."),
            ({"to_stage": ""}, "Choose the stage to move it to."),
            ({"organization": ""}, "Say which organization to move."),
            ({"organization": "999999"}, "not on the board"),
            ({"organization": "abc"}, "not on the board"),
            ({"organization": "9" * 30}, "not on the board"),
            ({"note": "x" * 10_001}, "at most 10000 characters"),
            ({"archived": True}, "not on the board"),
        ],
        ids=["stage", "no-stage", "no-org", "missing-org", "text-org", "huge-org", "long", "arch"],
    )
    def test_hostile_input_is_refused_clearly_and_changes_nothing(
        self, librarian_client, data, message
    ):
        organization = OrganizationFactory(stage=Stage.CONTACTED)
        if data.pop("archived", False):
            organization_archive(organization=organization)
        post = {"organization": organization.pk, "to_stage": "active", "note": "", **data}

        response = json_move(librarian_client, post)
        assert response.status_code == 400
        assert response.json()["ok"] is False
        assert message in response.json()["message"]

        plain = librarian_client.post(MOVE, post, follow=True)
        assert plain.status_code == 200
        assert message in plain.content.decode()

        organization.refresh_from_db()
        assert organization.stage == Stage.CONTACTED
        assert StageChange.objects.count() == 1

    def test_a_nul_character_is_a_bad_request_and_changes_nothing(self, librarian_client):
        organization = OrganizationFactory(stage=Stage.CONTACTED)
        response = json_move(
            librarian_client,
            {"organization": organization.pk, "to_stage": "active", "note": "a\x00b"},
        )
        assert response.status_code == 400
        assert StageChange.objects.count() == 1

    def test_only_post_moves(self, librarian_client):
        organization = OrganizationFactory(stage=Stage.CONTACTED)
        response = librarian_client.get(
            MOVE, {"organization": organization.pk, "to_stage": "active"}
        )
        assert response.status_code == 405
        assert StageChange.objects.count() == 1


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_and_move_nothing(client):
    organization = OrganizationFactory(stage=Stage.CONTACTED)
    assert client.get(BOARD).url.startswith("/accounts/login/?next=/pipeline/")
    response = client.post(MOVE, {"organization": organization.pk, "to_stage": "active"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert StageChange.objects.count() == 1


@pytest.mark.django_db
def test_every_staff_role_may_move_a_card(client, manager):
    client.force_login(manager)
    organization = OrganizationFactory(stage=Stage.CONTACTED)
    assert json_move(client, {"organization": organization.pk, "to_stage": "active"}).json()[
        "moved"
    ]

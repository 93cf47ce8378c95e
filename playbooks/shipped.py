"""The four playbooks Liaison ships, written from two outreach librarians' notes on how they
start partnerships (shared/domain): made by migration 0002 and by seed_demo where missing.

Managers edit them afterwards like their own: `playbooks_ship` never touches a playbook that
exists by name. A change of these texts reaches only new databases; one for existing databases
needs a migration of its own.
"""

from typing import Any

START, PREVIOUS = "start", "previous"

# (title, details, offset in days, counted from, stage reached when done)
Step = tuple[str, str, int, str, str]

SHIPPED: list[dict[str, Any]] = [
    {
        "name": "New government partner",
        "description": (
            "Starting a partnership with a local government agency or official: understand "
            "their priorities, meet them where they meet, and propose work together."
        ),
        "kind": "government",
        "auto_apply_stage": "",
        "steps": [
            (
                "Research their priorities and initiatives",
                "Read their plans, budget priorities and current initiatives (education, culture, "
                "social services, community development): where can the library contribute and "
                "add value?",
                0,
                START,
                "researching",
            ),
            (
                "Find the right official",
                "Which agency, department or official's work aligns with the library's mission? "
                "Add them as a contact of the organization.",
                3,
                PREVIOUS,
                "",
            ),
            (
                "Send an introductory letter",
                "Emphasize shared goals: how the library's information, programs and outreach "
                "events can support their initiatives.",
                2,
                PREVIOUS,
                "contacted",
            ),
            (
                "Attend a council or board meeting",
                "Go to their next public meeting, introduce yourself and listen to what is on "
                "their agenda. Log it as a touchpoint.",
                14,
                PREVIOUS,
                "",
            ),
            (
                "Follow-up call",
                "Call the official: what did they take from the letter and the meeting, what "
                "are they working on this year?",
                7,
                PREVIOUS,
                "in_discussion",
            ),
            (
                "Propose a joint project",
                "A co-hosted event, shared resources or a joint grant application that serves "
                "both their objectives and the library's.",
                14,
                PREVIOUS,
                "",
            ),
        ],
    },
    {
        "name": "New health partner",
        "description": (
            "Starting a partnership with a clinic, hospital or public health organization to "
            "promote health literacy and wellness: reach out through several channels, plan a "
            "workshop together, evaluate it and report back."
        ),
        "kind": "health",
        "auto_apply_stage": "contacted",
        "steps": [
            (
                "Research their services and the populations they serve",
                "Their services, target populations and any programs on health literacy: what "
                "could the library's resources complement?",
                0,
                START,
                "",
            ),
            (
                "Phone call",
                "Introduce the library and the value of working together: health books, "
                "databases, workshops and seminars.",
                2,
                PREVIOUS,
                "",
            ),
            (
                "Email",
                "Follow the call with an email: what you discussed, and the library resources "
                "that fit their work.",
                2,
                PREVIOUS,
                "",
            ),
            (
                "Personalized letter",
                "A letter to the director tailored to their priorities and audience.",
                5,
                PREVIOUS,
                "in_discussion",
            ),
            (
                "Plan a workshop",
                "Agree on a workshop or seminar for the community, shaped by their priorities "
                "and the health concerns people raise.",
                14,
                PREVIOUS,
                "active",
            ),
            (
                "Evaluation survey",
                "Survey the participants and the partner after the workshop: outcomes, "
                "feedback, what to change.",
                30,
                PREVIOUS,
                "",
            ),
            (
                "First progress update",
                "Share the results with the partner: success stories, statistics and testimonials.",
                14,
                PREVIOUS,
                "",
            ),
        ],
    },
    {
        "name": "Joint grant application",
        "description": (
            "Applying for a grant together, set by the deadline: start it 30 days before the "
            "application is due, and each step falls due in time."
        ),
        "kind": "",
        "auto_apply_stage": "",
        "steps": [
            (
                "Ask for letters of support",
                "Ask the partner and others for letters of support, with the funder's deadline "
                "and a short summary of the project.",
                0,
                START,
                "",
            ),
            (
                "Draft the narrative",
                "The need, the project, what each partner brings, the outcomes measured. Share "
                "the draft with the partner.",
                14,
                START,
                "",
            ),
            (
                "Prepare the budget",
                "Each partner's costs and contributions, in the funder's format.",
                21,
                START,
                "",
            ),
            (
                "Submit the application",
                "Check the letters of support are in; submit before the deadline.",
                30,
                START,
                "",
            ),
            (
                "Report to the funder",
                "When the funder asks: outcomes, statistics and stories from the project.",
                180,
                PREVIOUS,
                "",
            ),
        ],
    },
    {
        "name": "Annual partnership review",
        "description": (
            "Once a year with each active partner: look back at the work together, hear "
            "what they think, and agree on the year ahead."
        ),
        "kind": "",
        "auto_apply_stage": "",
        "steps": [
            (
                "Gather the year's figures",
                "Touchpoints, programs and sessions, attendance, outcomes and stories of the "
                "last twelve months.",
                0,
                START,
                "",
            ),
            (
                "Ask the partner for feedback",
                "A short survey or email: what worked, what did not, what they need next year.",
                0,
                START,
                "",
            ),
            (
                "Meet to review the year",
                "Go through the figures and their feedback; agree on goals for the coming year.",
                14,
                PREVIOUS,
                "",
            ),
            (
                "Send the review's summary",
                "What was agreed, as a progress update to the partner.",
                7,
                PREVIOUS,
                "",
            ),
            (
                "Renew or update the agreement",
                "If an MOU or another agreement is up for renewal, renew it with what changed.",
                14,
                PREVIOUS,
                "",
            ),
        ],
    },
]


def playbooks_ship(playbook_model: Any, step_model: Any) -> int:
    """Make the shipped playbooks missing by name, with the given models (a migration's
    historical ones, or the real ones); returns how many were made."""
    made = 0
    for shipped in SHIPPED:
        if playbook_model.objects.filter(name=shipped["name"]).exists():
            continue
        fields = {key: value for key, value in shipped.items() if key != "steps"}
        playbook = playbook_model.objects.create(**fields)
        step_model.objects.bulk_create(
            step_model(
                playbook=playbook,
                position=position,
                title=title,
                details=details,
                offset_days=offset,
                counted_from=counted_from,
                done_by="owner",
                moves_to_stage=stage,
            )
            for position, (title, details, offset, counted_from, stage) in enumerate(
                shipped["steps"], start=1
            )
        )
        made += 1
    return made

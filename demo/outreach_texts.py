"""The words of the demo outreach log: what librarians say, write and plan with partners.

Kept apart from the loader (outreach/demo_data.py) so that the logic stays readable.
"""

from outreach.models import Touchpoint
from partners.models import Organization, Stage

Channel = Touchpoint.Channel
# (channel, subject, notes, outcome, next step); {first} is the partner's contact, {offer} and
# {initiative} come from the organization's focus area, {town} from its address.
Entry = tuple[str, str, str, str, str]

# fmt: off
BY_STAGE: dict[str, tuple[Entry, ...]] = {
    Stage.RESEARCHING: (
        (Channel.EVENT, "Stopped by their table at the {town} resource fair",
         "Picked up their brochures and program calendar. Their work on {initiative} overlaps "
         "with ours.", "", "Find out who runs community partnerships there."),
        (Channel.COUNCIL, "Heard their update at the {town} council meeting",
         "Their director described plans for {initiative}; the library could help with "
         "{offer}.", "", "Look up the right person to contact."),
        (Channel.CONFERENCE, "Attended their session at the regional nonprofit conference",
         "Good session on {initiative}. Several ideas the library could support.", "",
         "Ask a colleague for an introduction."),
        (Channel.EMAIL, "Asked a colleague for an introduction",
         "Our branch manager knows someone on their staff and offered to connect us.",
         "She'll pass our name along.", "Call once the introduction is made."),
    ),
    Stage.CONTACTED: (
        (Channel.PHONE, "Introductory call with {first}",
         "Introduced the library and what we offer: {offer}.",
         "{first} was interested and asked for something in writing.",
         "Send {first} the one-page overview."),
        (Channel.EMAIL, "Introduced the library to {first} by email",
         "Sent our outreach one-pager and the program calendar; mentioned {offer}.",
         "Friendly reply; busy until the end of the month.", "Email {first} again in two weeks."),
        (Channel.LETTER, "Mailed an introduction letter and program guide",
         "Addressed to {first}, with the program guide and library card sign-up forms.", "",
         "Call {first} to check the letter arrived."),
        (Channel.IN_PERSON, "Dropped by to introduce the library",
         "Met {first} at the front desk and left flyers about {offer}.",
         "Agreed to talk properly once their grant report is in.", "Call {first} next month."),
    ),
    Stage.IN_DISCUSSION: (
        (Channel.IN_PERSON, "Talked through a joint program on {initiative}",
         "Walked {first} through {offer} and how it could reach the people they serve.",
         "Both sides want to try a pilot this season.", "Draft a pilot plan with dates and roles."),
        (Channel.VIDEO, "Planning call with {first}",
         "Went over audiences, dates and who brings what. Their focus this year is "
         "{initiative}.", "Agreed on a first joint session.", "Send {first} a draft outline."),
        (Channel.EMAIL, "Shared a draft partnership outline",
         "Sent {first} a one-page outline: goals, dates, staffing and how we count results.",
         "{first} is taking it to their director.", "Send the MOU draft to {first}."),
        (Channel.PHONE, "Checked room and staffing options with {first}",
         "Compared our meeting room with their site, and weekday evenings with Saturdays.",
         "Weekday evenings work best for their families.",
         "Hold two dates on the meeting room calendar."),
        (Channel.IN_PERSON, "Toured their space with {first}",
         "Looked at where a library pop-up table or a book drop could go.",
         "Lobby space is free on their busiest days.", "Write up the pop-up proposal."),
    ),
    Stage.ACTIVE: (
        (Channel.IN_PERSON, "Quarterly check-in with {first}",
         "Reviewed the last quarter: attendance, card sign-ups, what to change.",
         "Keep the schedule; add one more session in the fall.",
         "Update the shared program calendar."),
        (Channel.EVENT, "Co-hosted a library table at their community day",
         "Signed people up for library cards and handed out information on {offer}.",
         "Steady traffic all afternoon; 23 new cards.", "Send {first} the numbers and photos."),
        (Channel.EMAIL, "Shared sign-up numbers from the last joint program",
         "Sent {first} attendance and feedback from the last session.",
         "They will quote the numbers in their grant report.", ""),
        (Channel.PHONE, "Confirmed dates for the next joint program",
         "Set the dates with {first} and agreed who handles registration.", "Dates confirmed.",
         "Confirm the room booking for the next session."),
        (Channel.VIDEO, "Planned next season's programs with {first}",
         "Brainstormed topics around {initiative}; {first} will poll their participants.",
         "A shortlist of three topics.", "Ask {first} for the poll results."),
        (Channel.LETTER, "Sent a thank-you letter to their director",
         "Thanked their team for the partnership and enclosed the annual outreach summary.",
         "", ""),
    ),
    Stage.DORMANT: (
        (Channel.PHONE, "Left a voicemail for {first}",
         "No answer; asked whether they would like to pick the program up again.",
         "No reply yet.", "Try {first} by email next month."),
        (Channel.EMAIL, "Asked whether they want to restart the partnership",
         "Wrote to {first} with a recap of what we did together and an offer to meet.",
         "Out-of-office reply: on leave until next quarter.", ""),
        (Channel.LETTER, "Wrote to their new director",
         "Introduced the library and the history of the partnership to the new leadership.",
         "", "Call their office in two weeks."),
    ),
    Stage.DECLINED: (
        (Channel.PHONE, "{first} explained they can't take on a partnership this year",
         "Their staff is stretched and their board wants to focus on direct services.",
         "Declined for now; open to talking again next fiscal year.", ""),
        (Channel.EMAIL, "Received their answer to our proposal",
         "{first} thanked us for the outline but said the timing does not work for them.",
         "Declined politely.", ""),
    ),
}

# What only one kind of partner does with the library, from the first call on.
BY_KIND: dict[str, tuple[Entry, ...]] = {
    Organization.Kind.GOVERNMENT: (
        (Channel.COUNCIL, "Presented at the {body} community services committee",
         "Ten minutes on library outreach, with a focus on {offer}.",
         "Members asked for a short update every quarter.", "Send {first} the slides."),
        (Channel.EMAIL, "Sent {first} library figures for their community plan",
         "Card holders, program attendance and computer use for their service area.",
         "The figures will go into the plan's appendix.", ""),
    ),
    Organization.Kind.HEALTH: (
        (Channel.IN_PERSON, "Introduced the library's health-literacy collection",
         "Showed {first} the plain-language health books and online databases.",
         "They will point patients to the library's health information programs.",
         "Drop off health-literacy booklets for their waiting room."),
        (Channel.EVENT, "Staffed a health information table at their clinic fair",
         "Answered questions about reliable health websites and signed up new card holders.",
         "Good conversations with parents and older adults.", ""),
    ),
    Organization.Kind.SCHOOL: (
        (Channel.IN_PERSON, "Shared the summer reading calendar with teachers",
         "Five minutes at their staff meeting; {first} will send it home in the newsletter.",
         "Teachers asked for classroom visits in May.", "Schedule the classroom visits."),
        (Channel.EVENT, "Library card sign-ups at back-to-school night",
         "Signed up families at the library table and showed students homework help.",
         "41 new cards, most of them for students.", "Send {first} a thank-you note."),
    ),
    Organization.Kind.NONPROFIT: (
        (Channel.PHONE, "Talked about navigator office hours at the branch",
         "{first} could send a navigator to the library one afternoon a week.",
         "Trial month agreed in principle.", "Book a weekly room for their navigator."),
        (Channel.EVENT, "Tabled at their volunteer open house",
         "Met their volunteers and handed out information on {offer}.", "", ""),
    ),
    Organization.Kind.BUSINESS: (
        (Channel.IN_PERSON, "Discussed sponsoring the summer reading prizes",
         "{first} is open to donating prizes and a banner for the finale.",
         "Waiting for their owner's go-ahead.", "Send {first} the sponsorship sheet."),
        (Channel.EMAIL, "Proposed a small-business workshop series",
         "Suggested three evening workshops using the library's business databases.",
         "{first} will share it with their members.", ""),
    ),
    Organization.Kind.COMMUNITY: (
        (Channel.IN_PERSON, "Presented at their monthly meeting",
         "Talked about {offer} and answered questions from members.",
         "Several members want a follow-up session.", "Email {first} the handout."),
        (Channel.EVENT, "Ran a pop-up library at their block party",
         "Book giveaway, card sign-ups and a storytime on the lawn.",
         "Busy afternoon; asked to come back next year.", ""),
    ),
    Organization.Kind.OTHER: (
        (Channel.CONFERENCE, "Spoke on their conference panel about outreach",
         "Shared how the library tracks partnerships and what has worked with {offer}.",
         "Good questions; two other libraries asked for our templates.", ""),
        (Channel.EMAIL, "Swapped outreach contacts with {first}",
         "Exchanged lists of partner agencies and who to call at each.", "", ""),
    ),
}

# The follow-ups nobody wrote down as a touchpoint's next step: {first} as above.
FOLLOWUP_TITLES: dict[str, tuple[str, ...]] = {
    Stage.CONTACTED: ("Send {first} the one-page overview", "Call {first} to suggest a meeting",
                      "Email {first} the program calendar"),
    Stage.IN_DISCUSSION: ("Send the MOU draft to {first}", "Ask {first} for their director's "
                          "feedback", "Hold two dates on the meeting room calendar"),
    Stage.ACTIVE: ("Confirm room booking for the fair", "Send {first} the attendance numbers",
                   "Drop off program flyers at their front desk",
                   "Order books for the next joint session", "Send a thank-you note to {first}"),
}
# (title, agenda, minutes) of a meeting with one partner.
MEETING_TOPICS: dict[str, tuple[tuple[str, str, str], ...]] = {
    Stage.IN_DISCUSSION: (
        ("Partnership planning with {org}", "Introductions\nWhat each side brings\n"
         "Possible pilot dates", "Agreed to pilot {offer} with {first}'s team. The library "
         "drafts the plan; {first} checks dates with their director."),
        ("MOU review with {first}", "Walk through the draft MOU\nPhoto consent and data "
         "sharing\nSignatures", "Went through the MOU line by line; two wording changes "
         "requested. Final version goes out for signature next week."),
    ),
    Stage.ACTIVE: (
        ("Quarterly partnership check-in", "Numbers from last quarter\nWhat worked, what "
         "didn't\nDates for next quarter", "Attendance is up on last quarter. Moving the "
         "session to Thursdays; {first} will share the flyer with their mailing list."),
        ("Program planning: {initiative}", "Goals for the season\nSpeakers and materials\n"
         "Promotion", "Three sessions agreed. The library books speakers, {first}'s team "
         "handles registration."),
        ("Annual partnership review", "The year in numbers\nStories from participants\n"
         "Next year's priorities", "Both sides want to continue. Next year: more evening "
         "sessions and a bilingual flyer."),
    ),
}
# Several partners around one table: (title, agenda, minutes).
JOINT_TOPICS = (
    ("Summer meals coalition planning", "Sites and dates\nVolunteers\nReading kits for each site",
     "Four sites confirmed. The library brings reading kits and a storyteller each Friday."),
    ("Digital inclusion roundtable", "Who offers what\nDevice lending\nShared flyer",
     "Mapped everyone's tech help hours; one shared flyer listing them all."),
    ("Back-to-school resource fair planning", "Date and venue\nTables and layout\nPromotion",
     "Fair at the high school gym. Library table next to the clinic's, with card sign-ups."),
    ("Healthy aging resource network", "Referral paths\nJoint calendar\nHomebound services",
     "Agreed on one referral form; the library adds homebound delivery to the calendar."),
)
AGENDAS = ("Updates from both sides\nNext steps", "Review of the last session\nDates\nPromotion",
           "Goals\nRoles\nTimeline")
ROOMS = ("Main Library, Community Room", "Main Library, Meeting Room B",
         "Main Library, Board Room", "Their office")
# Channels of touchpoints that may fall on a weekend: the rest move to the nearest weekday.
WEEKEND_CHANNELS = {Channel.EVENT}
# A governing body to present to, by the agency's level.
BODIES = {"city": "city council's", "county": "county board's", "tribal": "tribal council's",
          "state": "regional advisory board's", "federal": "regional advisory board's"}
# Due dates of a person's open follow-ups, in turn: some overdue, most this week, some later.
DUE_PATTERN = ("overdue", "today", "week", "later", "week", "overdue", "week", "later")
DUE_DAYS = {"overdue": (-20, -1), "today": (0, 0), "week": (1, 7), "later": (8, 45)}
# fmt: on


# About ten touchpoints a partner on average over the ~18 months of history, most of them with
# active partners (a call or an email every two or three weeks): 400 a place, so that
# --scale 250 gives the 100,000 touchpoints of a county-wide team a few years in.
TOUCHPOINTS_BY_STAGE: dict[str, tuple[int, int]] = {
    Stage.RESEARCHING: (2, 4),
    Stage.CONTACTED: (3, 7),
    Stage.IN_DISCUSSION: (8, 16),
    Stage.ACTIVE: (20, 36),
    Stage.DORMANT: (8, 16),
    Stage.DECLINED: (2, 5),
}
TALKING = (Stage.CONTACTED, Stage.IN_DISCUSSION, Stage.ACTIVE)
MEETING_STAGES = (Stage.IN_DISCUSSION, Stage.ACTIVE)
# How many of a partner's last in-person and video touchpoints may have been booked meetings.
MEETINGS_FROM_SIT_DOWNS = 4

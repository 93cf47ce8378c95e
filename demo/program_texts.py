"""The words of the demo programs: what the library runs with its partners, and how it went.

Kept apart from the loader (outreach/demo_programs.py) so that the logic stays readable. In the
texts, {town} and {county} name the place, {lead} the lead partner, {partners} all of them and
{others} all but the lead; in the people's names, {first} is a first name.
"""

from dataclasses import dataclass

from programs.models import Grant, Outcome, Program, ProgramPartner

Kind, Method, Role = Program.Kind, Outcome.Method, ProgramPartner.Role


@dataclass(frozen=True)
class Sessions:
    count: tuple[int, int]
    every: int  # days between sessions
    weekdays: tuple[int, ...]  # at least two, so one is never today
    times: tuple[str, ...]
    attendance: tuple[int, int]
    places: tuple[str, ...]  # {venue}: the venue partner, else the branch


@dataclass(frozen=True)
class Idea:
    kind: str
    title: str
    description: str
    goals: str
    audience: str
    resources: str
    focus: tuple[str, ...]  # existing FocusArea names
    partners: tuple[str, ...]  # demo.partners template names, best fit first
    roles: tuple[str, ...]  # of the partners after the lead
    budget: tuple[int, int]
    # (what was measured, low, high, decimals, unit, method)
    outcomes: tuple[tuple[str, float, float, int, str, str], ...]
    stories: tuple[tuple[str, str], ...]  # (who, text)
    sessions: Sessions | None = None
    funders: tuple[str, ...] = ()


HEALTH_DEPT, CLINIC = "{county} County Health Department", "{town} Community Clinic"
HOSPITAL, COALITION = "St. Luke's {town} Medical Center", "{county} Healthy Communities Coalition"
SCHOOLS, PARKS = "{town} Unified School District", "{town} Parks and Recreation Department"
ELEMENTARY, PEDIATRICS = "{town} Elementary School", "{town} Pediatric Associates"
FAMILIES, HEAD_START = "{town} Family Resource Center", "{county} Head Start"
SENIORS, BROADBAND = "{town} Senior Center", "{county} Broadband Cooperative"
LITERACY, HOUSING = "{county} Literacy Council", "{town} Housing Authority"
SOCIAL, FOOD_BANK = "{county} County Department of Social Services", "{town} Food Bank"
BRANCH = "{town} Branch Library"

WORKSHOP_EVENINGS = Sessions((4, 8), 7, (1, 2, 3), ("18:00", "18:30"), (8, 40),
                             (BRANCH + ", Community Room", "{venue}"))  # fmt: skip
SENIOR_MORNINGS = Sessions((4, 8), 7, (0, 1, 2, 3), ("10:00", "14:00"), (8, 24),
                           ("{venue}", BRANCH + ", Computer Lab"))  # fmt: skip
FAIR_WEEKENDS = Sessions((2, 3), 7, (5, 6), ("10:00", "11:00"), (150, 600),
                         ("{town} Community Park pavilion", "{town} High School gym",
                          "Main Library parking lot and lawn"))  # fmt: skip

# fmt: off
HEALTH_WORKSHOPS = (
    Idea(Kind.WORKSHOP, "Know Your Numbers: health literacy workshops in {town}",
         "Evening workshops on reading lab results, finding trustworthy health information "
         "online and preparing questions for the doctor. Nurses from {lead} teach; a librarian "
         "demonstrates MedlinePlus and the library's health databases.",
         "Participants feel confident finding and judging health information and know where "
         "to get help.",
         "Adults managing a chronic condition and family caregivers; Spanish interpretation.",
         "Librarian time for database demos, the community room, consumer health displays, "
         "take-home booklists.",
         ("Health literacy", "Wellness"), (HEALTH_DEPT, CLINIC, HOSPITAL, COALITION),
         (Role.PRESENTER, Role.VENUE, Role.PROMOTER, Role.REFERRAL), (800, 3000),
         (("Participants reporting more confidence finding health information", 64, 88, 0, "%",
           Method.SURVEY),
          ("Average score gain, pre/post quiz", 1.1, 2.4, 1, "points", Method.PRE_POST),
          ("Library cards issued to participants", 4, 18, 0, "people", Method.HEAD_COUNT)),
         (("{first}, workshop participant", "I finally understand what my A1C number means. "
           "I brought my sister to the second session."),
          ("Anonymous participant", "My doctor gave me a printout I could not read. Now I know "
           "where to find the same thing in Spanish."),
          ("{first}, caregiver", "I care for my father and always felt lost at his appointments. "
           "This time I came with a list of questions.")),
         WORKSHOP_EVENINGS),
    Idea(Kind.WORKSHOP, "Healthy Living @ Your Library: diabetes prevention series",
         "A series on preventing type 2 diabetes: eating well on a budget, reading food labels "
         "and moving more, led by a diabetes educator from {lead}. Each session ends with "
         "library books and cookbooks to borrow.",
         "Participants make one lasting change and can find reliable information on diabetes.",
         "Adults at risk of diabetes, referred by their clinic or signed up at the library.",
         "Cookbook and health collection, a librarian at each session, room and projector.",
         ("Health literacy", "Wellness"), (HOSPITAL, CLINIC, HEALTH_DEPT, COALITION),
         (Role.PRESENTER, Role.REFERRAL, Role.PROMOTER), (1000, 3500),
         (("Participants reporting more confidence reading food labels", 62, 90, 0, "%",
           Method.SURVEY),
          ("Average score gain, pre/post quiz", 1.2, 2.6, 1, "points", Method.PRE_POST),
          ("Participants attending most sessions", 8, 22, 0, "people", Method.HEAD_COUNT)),
         (("{first}, participant", "I read every label at the store now. My grandkids think "
           "it's funny, but I lost eight pounds."),
          ("Anonymous participant", "I didn't know the library had cookbooks for diabetics. I "
           "have borrowed four so far.")),
         WORKSHOP_EVENINGS),
)
SUMMER_READING = (
    Idea(Kind.EVENT_SERIES, "Summer Reading Challenge: Read, Play, Grow in {town}",
         "Weekly storytimes, reading-log prize days and outdoor games in the parks through the "
         "summer, with free lunch from the summer meals program at two sites.",
         "Children keep reading over the summer; families sign up for library cards.",
         "Children aged 4 to 12 and their families, especially at the summer meal sites.",
         "Children's librarians at every event, reading logs, prize books, a bookmobile stop.",
         ("Early literacy", "Youth and teens"), (SCHOOLS, PARKS, ELEMENTARY,
          "Boys & Girls Club of {town}", "{town} YMCA", FOOD_BANK),
         (Role.VENUE, Role.CO_HOST, Role.PROMOTER, Role.FUNDER), (1500, 5000),
         (("Children who finished the reading challenge", 80, 260, 0, "children",
           Method.HEAD_COUNT),
          ("Books checked out at the events", 400, 1800, 0, "books", Method.HEAD_COUNT),
          ("Parents reporting more reading at home", 60, 86, 0, "%", Method.SURVEY)),
         (("Parent of a fourth grader", "My daughter read 42 books this summer and now says she "
           "wants to be a librarian."),
          ("{first}, age 9", "I liked the bubble day best and I got a free book about sharks."),
          ("{first}, a grandmother", "We came for the lunch and stayed for the stories. Now we "
           "come every Tuesday.")),
         Sessions((5, 8), 7, (1, 2, 3), ("10:30",), (20, 70),
                  ("{town} Community Park pavilion", "{venue}", BRANCH + ", Story Room"))),
)
FAMILY_NIGHTS = (
    Idea(Kind.EVENT_SERIES, "Family Literacy Nights at {town} schools",
         "Evenings at the school with dinner, a bilingual storytime, a craft and a take-home "
         "book for every child; librarians sign families up for cards on the spot.",
         "Families read together at home and use the library.",
         "Families with children in preschool to grade 3; English and Spanish.",
         "Two librarians per night, picture books to give away, card sign-up kits.",
         ("Early literacy", "Education"), (ELEMENTARY, SCHOOLS, HEAD_START, FAMILIES, LITERACY),
         (Role.VENUE, Role.CO_HOST, Role.PROMOTER), (1000, 4000),
         (("Families attending two or more nights", 12, 45, 0, "families", Method.HEAD_COUNT),
          ("Library cards issued to families", 10, 40, 0, "people", Method.HEAD_COUNT),
          ("Parents reading with their child most days", 55, 82, 0, "%", Method.SURVEY)),
         (("{first}, a mother of three", "We never had books at home. Now my son picks one "
           "every night."),
          ("Anonymous parent", "The librarian spoke Spanish with me. I felt welcome.")),
         Sessions((3, 6), 14, (1, 3), ("18:00",), (15, 50), ("{venue}", BRANCH))),
)
FAIRS = (
    Idea(Kind.FAIR, "{town} Community Health and Resource Fair",
         "Neighborhood fairs on Saturday mornings with free screenings, flu shots, benefits "
         "sign-up help and a library card table, hosted with {partners}.",
         "Connect residents with health and community services, and with the library.",
         "Residents of neighborhoods with the poorest health outcomes; families and seniors.",
         "Card sign-up table, bookmobile, booklists in English and Spanish, volunteers.",
         ("Health literacy", "Social services", "Wellness"),
         (HEALTH_DEPT, COALITION, CLINIC, SOCIAL, FOOD_BANK, HOSPITAL),
         (Role.CO_HOST, Role.PRESENTER, Role.VENUE, Role.PROMOTER), (2000, 6000),
         (("Library cards issued at the fair", 25, 70, 0, "people", Method.HEAD_COUNT),
          ("Blood pressure screenings", 60, 180, 0, "people", Method.PARTNER_REPORT),
          ("Visitors who learned about a service new to them", 55, 80, 0, "%", Method.SURVEY)),
         (("{first}, a visitor", "I came for the free blood pressure check and left with a "
           "library card and an appointment at the clinic."),
          ("Anonymous visitor", "Someone helped me apply for food assistance right there. I had "
           "been putting it off for months.")),
         FAIR_WEEKENDS),
    Idea(Kind.FAIR, "Family Health and Information Fair in {town}",
         "Free flu shots, vision and dental checks for children, benefits sign-up help and "
         "library cards for the whole family, with {partners}.",
         "Every child in the neighborhood is up to date on checkups and has a library card.",
         "Families with children, especially those without a regular doctor.",
         "Card sign-up table, homework help information, free books, bookmobile.",
         ("Health literacy", "Education", "Youth and teens"),
         (PEDIATRICS, SCHOOLS, HEALTH_DEPT, FAMILIES, CLINIC),
         (Role.CO_HOST, Role.PRESENTER, Role.VENUE, Role.PROMOTER), (2000, 5000),
         (("Library cards issued at the fair", 30, 80, 0, "people", Method.HEAD_COUNT),
          ("Flu shots given", 40, 140, 0, "people", Method.PARTNER_REPORT)),
         (("{first}, a father", "We got the flu shots, the eye checks and a library card in one "
           "morning. My kids were thrilled."),),
         FAIR_WEEKENDS),
)
DIGITAL = (
    Idea(Kind.WORKSHOP, "Tech Help for Older Adults: smartphones, email and telehealth",
         "Small hands-on workshops for older adults: using a smartphone, email, video calls "
         "with family and the doctor, and spotting scams. Volunteers from {lead} help one to one.",
         "Participants use a telehealth visit or video call on their own.",
         "Adults aged 60 and over, many without internet at home.",
         "Library laptops and tablets, a librarian instructor, large-print handouts, "
         "hotspots to borrow.",
         ("Digital literacy", "Older adults"), (SENIORS, BROADBAND, LITERACY,
          "Social Security Administration, {town} Field Office", HOSPITAL),
         (Role.VENUE, Role.PRESENTER, Role.REFERRAL, Role.PROMOTER), (600, 2500),
         (("Participants who can now join a video call on their own", 60, 90, 0, "%",
           Method.SURVEY),
          ("Average score gain, pre/post skills check", 1.2, 2.8, 1, "points", Method.PRE_POST),
          ("Participants who set up an email account", 4, 15, 0, "people", Method.HEAD_COUNT)),
         (("{first}, 81", "I video-called my granddaughter in Ohio for the first time. She "
           "cried, I cried."),
          ("{first}, participant", "I used to ask my son to order my prescriptions online. Now I "
           "do it myself."),
          ("Anonymous participant", "The scam session saved me. I got the same phone call the "
           "next week and hung up.")),
         SENIOR_MORNINGS),
)
# Every four weeks all year: each place's longest-running program, the thread of a year of
# updates (demo.program_history spaces a year's worth, about 14, from about a year ago).
MONTHLY = Sessions((13, 15), 28, (1, 2, 3), ("10:30", "14:00"), (10, 35),
                   (BRANCH + ", Community Room", "{venue}"))  # fmt: skip
YEAR_ROUND = (
    Idea(Kind.EVENT_SERIES, "Ask a Nurse: monthly health talks at the {town} library",
         "Once a month a nurse from {lead} gives a half-hour talk (blood pressure, new "
         "medicines, sleep, the flu season) and stays to answer questions one to one. A "
         "librarian brings books on the month's subject and shows MedlinePlus.",
         "Residents get trustworthy answers to health questions close to home, and know the "
         "library as a place to find more.",
         "Older adults and family caregivers; anyone with a health question.",
         "The community room, a librarian at every talk, a book display on the month's subject.",
         ("Health literacy", "Older adults"), (HEALTH_DEPT, CLINIC, HOSPITAL, SENIORS, COALITION),
         (Role.PRESENTER, Role.VENUE, Role.PROMOTER, Role.REFERRAL), (400, 1800),
         (("Questions answered one to one by a nurse", 60, 240, 0, "questions",
           Method.HEAD_COUNT),
          ("Participants who followed up with their own doctor", 40, 75, 0, "%", Method.SURVEY),
          ("Health books checked out at the talks", 80, 320, 0, "books", Method.HEAD_COUNT)),
         (("{first}, a regular", "I have not missed a talk since the spring. The one on sleep "
           "changed my evenings."),
          ("{first}, caregiver", "I asked the nurse about my mother's new pills and she wrote "
           "the questions down for me to take to the pharmacy."),
          ("Anonymous participant", "I don't have a doctor I can just call. Here I can ask.")),
         MONTHLY),
    Idea(Kind.WORKSHOP, "Benefits Help Hour at the {town} library",
         "A monthly drop-in where caseworkers from {lead} help with SNAP, Medicaid, Medicare "
         "and housing applications while librarians help with the online forms, scanning and "
         "printing. No appointment needed.",
         "Residents apply for and keep the benefits they are entitled to, without a trip across "
         "the county.",
         "Low-income households, older adults and anyone who finds the online forms hard.",
         "Public computers and a scanner, a librarian for the forms, a quiet room for "
         "private conversations.",
         ("Social services", "Digital literacy"),
         (SOCIAL, "Social Security Administration, {town} Field Office", HOUSING, FAMILIES,
          FOOD_BANK, SENIORS),
         (Role.PRESENTER, Role.REFERRAL, Role.PROMOTER, Role.VENUE), (300, 1500),
         (("Benefit applications started or renewed", 40, 160, 0, "applications",
           Method.PARTNER_REPORT),
          ("Visitors helped with an online form", 60, 220, 0, "people", Method.HEAD_COUNT),
          ("Visitors who would recommend the help hour", 80, 97, 0, "%", Method.SURVEY)),
         (("{first}, a visitor", "My Medicaid renewal was due and I had no scanner. I left with "
           "it done and a library card."),
          ("Anonymous visitor", "The caseworker and the librarian sat with me for an hour. "
           "Nobody rushed me.")),
         MONTHLY),
)
AWARDED_GRANTS = (
    Idea(Kind.GRANT, "Healthy Families Reading Kits",
         "Joint application with {lead} for take-home health kits: picture books about visits "
         "to the doctor, bilingual guides and blood pressure cuffs to borrow.",
         "Put reliable health information into 300 family homes.",
         "Families with young children and adults managing high blood pressure.",
         "Kit assembly and cataloguing, circulation, librarian time for the report.",
         ("Health literacy", "Early literacy"), (HEALTH_DEPT, PEDIATRICS, FAMILIES, CLINIC),
         (Role.CO_HOST, Role.REFERRAL, Role.PRESENTER), (0, 0),
         (("Health kits checked out", 90, 300, 0, "checkouts", Method.HEAD_COUNT),
          ("Households reached", 120, 480, 0, "households", Method.PARTNER_REPORT),
          ("Partner staff trained to refer families", 6, 20, 0, "people", Method.HEAD_COUNT)),
         (("{first}, a parent", "Borrowing the blood pressure cuff meant I didn't have to buy "
           "one. My readings are better now."),),
         funders=("{county} Community Foundation", "Evergreen Health Foundation")),
    Idea(Kind.GRANT, "Reading Starts at the Clinic",
         "Joint application with {lead}: a book for every child at well-child visits, a "
         "library card application in the waiting room and storytimes in the lobby.",
         "Every young child seen at the clinic owns books and has a library card.",
         "Children aged 0 to 5 and their parents.",
         "Storytime staff, card applications, book selection and processing.",
         ("Early literacy", "Health literacy"), (PEDIATRICS, CLINIC, HEAD_START, FAMILIES),
         (Role.CO_HOST, Role.REFERRAL, Role.PROMOTER), (0, 0),
         (("Books given at well-child visits", 400, 1500, 0, "books", Method.PARTNER_REPORT),
          ("Library cards issued in the waiting room", 40, 160, 0, "people",
           Method.HEAD_COUNT)),
         (("{first}, a mother", "My son got his own book at the doctor's. He asks for it every "
           "night."),),
         funders=("Bellamy Literacy Fund", "{county} Community Foundation")),
)
NEW_GRANTS = (
    Idea(Kind.GRANT, "Digital Navigators for {town}",
         "Joint application with {lead} for two part-time digital navigators who help residents "
         "get online: low-cost internet sign-up, devices, and one-to-one help.",
         "200 households connected to home internet and able to use it.",
         "Households without home internet, older adults and job seekers.",
         "Navigator desk at the branch, hotspot collection, computer lab time.",
         ("Digital literacy", "Workforce development"),
         (BROADBAND, HOUSING, "{county} County Workforce Development Board", SENIORS, LITERACY),
         (Role.CO_HOST, Role.REFERRAL, Role.PRESENTER), (0, 0), (), (),
         funders=("Whitcomb Family Foundation", "Northern Rivers Community Trust")),
    Idea(Kind.GRANT, "Books and Bites: summer meals and reading",
         "Joint application with {lead} to pair the summer meals program with storytimes, "
         "book giveaways and the reading challenge at every meal site.",
         "No child goes hungry or without books over the summer.",
         "Children and teens at the summer meal sites.",
         "Storytime staff, books to give away, the bookmobile on meal days.",
         ("Food security", "Early literacy", "Youth and teens"),
         (FOOD_BANK, SCHOOLS, PARKS, "Boys & Girls Club of {town}"),
         (Role.CO_HOST, Role.VENUE, Role.PROMOTER), (0, 0), (), (),
         funders=("{county} Community Foundation", "Bellamy Literacy Fund")),
)
SHARED = (
    Idea(Kind.SHARED_RESOURCE, "Hotspot lending for {town} families",
         "The library lends hotspots through the resident services office of {lead}; residents "
         "borrow them for three weeks and renew as long as nobody is waiting.",
         "Students and job seekers without home internet can get online at home.",
         "Families in public and subsidized housing, especially with school-age children.",
         "40 hotspots and their data plans, cataloguing, a librarian for monthly tech help.",
         ("Digital literacy", "Housing"), (HOUSING, BROADBAND, FAMILIES, SOCIAL),
         (Role.FUNDER, Role.REFERRAL, Role.PROMOTER), (4000, 12000),
         (("Hotspot loans", 150, 600, 0, "loans", Method.HEAD_COUNT),
          ("Borrowers using the hotspot for school or a job search", 55, 82, 0, "%",
           Method.SURVEY),
          ("Households referred by partners", 30, 120, 0, "households", Method.PARTNER_REPORT)),
         (("A parent borrowing a hotspot", "With the hotspot my son finished his homework "
           "at home instead of in a fast-food parking lot."),
          ("{first}, resident", "I did my whole job application on the hotspot and started work "
           "last Monday.")),
         None),
    Idea(Kind.SHARED_RESOURCE, "Library pickup lockers at partner sites in {town}",
         "Lockers at {lead} where people pick up library holds while they pick up groceries, "
         "with a shelf of free books beside them.",
         "Bring the library to people who can't get to a branch during opening hours.",
         "Food bank clients, many working two jobs or without a car.",
         "Lockers and their upkeep, daily delivery of holds, free-book donations.",
         ("Food security", "Social services"),
         (FOOD_BANK, "{town} Interfaith Alliance", SOCIAL, "United Way of {county} County"),
         (Role.VENUE, Role.PROMOTER, Role.REFERRAL), (3000, 9000),
         (("Holds picked up at the lockers", 200, 900, 0, "items", Method.HEAD_COUNT),
          ("New cardholders who signed up at the site", 20, 90, 0, "people", Method.HEAD_COUNT)),
         (("{first}, food bank client", "I work nights. Picking up my books with the groceries "
           "is the only way I get to read."),),
         None),
)
CAMPAIGNS = (
    Idea(Kind.CAMPAIGN, "Library Card Sign-up Month in {town}",
         "A month of card sign-ups at schools, businesses and partner sites, with discounts "
         "from local businesses for new cardholders.",
         "A library card in the hands of every student and 300 new adult cardholders.",
         "Students, parents and workers who don't use the library yet.",
         "Sign-up kits, staff at partner sites, posters and social media.",
         ("Education", "Community development"),
         (SCHOOLS, "{town} Chamber of Commerce", "{town} Booksellers",
          "{town} Community Credit Union", "Boys & Girls Club of {town}"),
         (Role.PROMOTER, Role.REFERRAL, Role.CO_HOST), (500, 2000),
         (("Library card sign-ups during the campaign", 120, 450, 0, "people",
           Method.HEAD_COUNT),
          ("People reached at partner sites", 800, 3000, 0, "people", Method.PARTNER_REPORT)),
         (("{first}, a new cardholder", "I didn't know the library card was free. Now the whole "
           "family has one."),),
         None),
    Idea(Kind.CAMPAIGN, "Know Your Benefits: navigators at the library",
         "Benefits navigators from {lead} at the library every week, promoted by {others} "
         "and the 211 line.",
         "Eligible families apply for the food, health and tax benefits they are owed.",
         "Low-income families, older adults and newcomers.",
         "Private study rooms, computers, flyers in five languages, staff referrals.",
         ("Social services", "Food security"),
         (SOCIAL, "United Way of {county} County", FAMILIES, "{town} Center for New Americans"),
         (Role.PROMOTER, Role.REFERRAL, Role.PRESENTER), (500, 2500),
         (("People connected to a benefits navigator", 60, 240, 0, "people",
           Method.PARTNER_REPORT),
          ("Applications started at the library", 30, 140, 0, "applications",
           Method.PARTNER_REPORT)),
         (("Anonymous participant", "I had no idea I could get help with my heating bill. The "
           "navigator did the form with me in half an hour."),),
         None),
)
# fmt: on

# What a grant in each status has to get done, in the order it falls due.
DELIVERABLES: dict[str, tuple[str, ...]] = {
    Grant.Status.AWARDED: ("Final narrative report", "Financial report with receipts",
                           "Outcome summary for the foundation's newsletter"),
    Grant.Status.DRAFTING: ("Budget and budget narrative", "Evaluation plan agreed with partners",
                            "Project timeline and staffing plan"),
    Grant.Status.SUBMITTED: ("Answer the program officer's questions",
                             "Hold a kickoff date with partners"),
    Grant.Status.RESEARCHING: ("Confirm eligibility with the program officer",
                               "One-page project outline for partners"),
    Grant.Status.DECLINED: ("Ask the funder for reviewer comments",
                            "Debrief with partners on reapplying next cycle"),
}  # fmt: skip
CONTRIBUTIONS: dict[str, tuple[str, str]] = {
    Role.LEAD: ("Plans the program with the library and recruits participants.",
                "Brings the subject experts and leads the evaluation."),
    Role.CO_HOST: ("Shares the work: staff time, the sign-in table and half the costs.",
                   "Co-plans the program and shares the costs of materials."),
    Role.VENUE: ("Provides the space free of charge, with set-up help.",
                 "Provides the room, tables and parking."),
    Role.PRESENTER: ("Staff share their expertise with participants.",
                     "Sends a speaker and handouts."),
    Role.PROMOTER: ("Puts the program in its newsletter, social media and waiting room.",
                    "Hands out flyers to its clients and members."),
    Role.REFERRAL: ("Refers clients who would benefit and follows up with them.",
                    "Staff refer people and help them sign up."),
    Role.FUNDER: ("Covers materials and refreshments.", "Pays for prizes and supplies."),
}  # fmt: skip
SESSION_NOTES = ("Ran out of handouts; print more next time.", "Interpreter present.",
                 "Rain moved us indoors; turnout still good.", "Several came back from last time.",
                 "Partner staff signed up five people for follow-up appointments.")  # fmt: skip
CANCELLED_BECAUSE = ("Cancelled: the partner lost the grant that paid for its presenter.",
                     "Cancelled: the venue closed for renovation and no other date worked.",
                     "Cancelled: too few sign-ups; we will try again next year.")  # fmt: skip
METHOD_NOTES: dict[str, str] = {
    Method.SURVEY: "Paper survey at the last session; about two in three answered.",
    Method.PRE_POST: "The same short quiz at the first and the last session.",
    Method.PARTNER_REPORT: "From the partner's own records.",
}

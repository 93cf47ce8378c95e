"""The invented partners of the demo: organization templates, place and people names, notes.

Text tables only; demo/partners.py builds the records from them.
"""

from dataclasses import dataclass

from partners.models import Stage


@dataclass(frozen=True)
class OrganizationTemplate:
    """One kind of partner a library service area usually has, with {town}/{county} holes."""

    name: str
    kind: str
    government_level: str
    focus_areas: str  # existing FocusArea names, comma-separated
    titles: str  # roles of the people the library deals with there, semicolon-separated
    mission: str
    populations_served: str
    services: str


GOV, HEALTH, SCHOOL = "government", "health", "school"
NONPROFIT, BUSINESS, COMMUNITY, OTHER = "nonprofit", "business", "community", "other"

# Patterns must stay different after {town} and {county} are filled with the same name, as they
# are past the first unit: "{town} Arts Council" beside "{county} Arts Council" would clash.
# fmt: off
TEMPLATES = tuple(OrganizationTemplate(*row) for row in (
    ("{town} City Council", GOV, "city", "Civic engagement, Community development",
     "City clerk; Council member; Chief of staff to the mayor",
     "Open, responsive city government for {town}.", "Everyone who lives or works in {town}",
     "City ordinances and budget, public meetings, neighborhood improvement grants"),
    ("{county} County Health Department", GOV, "county", "Health literacy, Wellness, Mental health",
     "Health education specialist; Public health nurse; Community health worker supervisor",
     "Prevent disease and promote health for every resident of {county} County.",
     "County residents, with a focus on uninsured families and new parents",
     "Immunization clinics, WIC, home visiting for new parents, disease investigation"),
    ("{town} Parks and Recreation Department", GOV, "city", "Wellness, Youth and teens",
     "Recreation supervisor; Special events coordinator; Parks director",
     "Parks and programs that keep {town} active.", "Children, families and older adults in {town}",
     "Summer camps, sports leagues, park maintenance, community events"),
    ("{county} County Department of Social Services", GOV, "county",
     "Social services, Housing, Food security",
     "Eligibility supervisor; Community outreach manager; Caseworker",
     "Help county families meet basic needs and stay safe.",
     "Low-income households, foster families, people facing eviction",
     "SNAP and Medicaid enrollment, child protective services, emergency assistance"),
    ("{county} County Workforce Development Board", GOV, "county",
     "Workforce development, Digital literacy",
     "Executive director; Career navigator; Business services representative",
     "Connect job seekers with training and employers with skilled workers.",
     "Job seekers, dislocated workers, young adults, local employers",
     "Career counseling, training vouchers, job fairs, resume help"),
    ("{town} Housing Authority", GOV, "city", "Housing, Social services",
     "Resident services coordinator; Property manager; Deputy director",
     "Safe, affordable homes and stable tenancies in {town}.",
     "Low-income tenants, older adults, people with disabilities",
     "Public housing, housing choice vouchers, resident services"),
    ("{county} Intertribal Council Education Office", GOV, "tribal", "Education, Arts and culture",
     "Education director; Language program coordinator; Youth services manager",
     "Strengthen tribal families through education and language revitalization.",
     "Tribal members and Native families in {county} County",
     "Language classes, tutoring, scholarships, cultural camps"),
    ("State University Extension, {county} County Office", GOV, "state",
     "Food security, Community development, Youth and teens",
     "Extension agent; 4-H program coordinator; Nutrition educator",
     "Bring university research to families, farmers and young people.",
     "Rural families, young people, farmers and gardeners",
     "4-H clubs, nutrition classes, master gardener training"),
    ("Social Security Administration, {town} Field Office", GOV, "federal",
     "Older adults, Social services",
     "Public affairs specialist; Field office manager; Claims specialist",
     "Deliver Social Security services that meet the public's changing needs.",
     "Retirees, people with disabilities, survivors",
     "Retirement and disability claims, benefit verification, Medicare enrollment"),
    ("{town} Community Clinic", HEALTH, "", "Health literacy, Immigrant and refugee services",
     "Outreach coordinator; Medical director; Patient navigator",
     "Quality primary care for everyone, regardless of ability to pay.",
     "Uninsured and underinsured patients, farmworkers, immigrant families",
     "Primary care, dental care, sliding-scale fees, insurance enrollment help"),
    ("St. Luke's {town} Medical Center", HEALTH, "", "Health literacy, Wellness, Older adults",
     "Community benefit manager; Diabetes educator; Volunteer services director",
     "Compassionate care and a healthier community.", "Patients and families across the region",
     "Hospital care, diabetes education, community health needs assessment"),
    ("{county} Intertribal Health Center", HEALTH, "", "Health literacy, Mental health",
     "Community health representative; Behavioral health director; Clinic manager",
     "Culturally grounded health care for Native people and their families.",
     "American Indian and Alaska Native residents and their households",
     "Primary care, behavioral health, traditional healing referrals, elder visits"),
    ("{town} Counseling and Recovery Center", HEALTH, "", "Mental health, Wellness",
     "Clinical director; Peer support specialist; Prevention coordinator",
     "Recovery is possible, and help should be easy to find.",
     "Adults and teens facing mental health or substance use challenges",
     "Counseling, substance use treatment, crisis line, support groups"),
    ("{town} Pediatric Associates", HEALTH, "", "Early literacy, Health literacy",
     "Practice manager; Pediatrician; Nurse educator",
     "Healthy kids from birth through adolescence.", "Children and their parents",
     "Well-child visits, developmental screening, Reach Out and Read book gifts"),
    ("{town} Unified School District", SCHOOL, "", "Education, Youth and teens",
     "Superintendent; School board trustee; Family engagement coordinator",
     "Every student ready for college and career.", "K-12 students and their families",
     "K-12 schools, English learner programs, summer school, family centers"),
    ("{town} Elementary School", SCHOOL, "", "Early literacy, Education",
     "Principal; Teacher librarian; Reading specialist",
     "Joyful readers and confident learners.", "Children aged 5 to 11",
     "Kindergarten to grade 5, after-school tutoring, family reading nights"),
    ("{town} High School", SCHOOL, "", "Youth and teens, Digital literacy",
     "Principal; College and career counselor; Media specialist",
     "Graduates prepared for what comes next.", "Teenagers aged 14 to 18",
     "Grades 9-12, career pathways, dual enrollment, clubs"),
    ("{county} Community College", SCHOOL, "", "Workforce development, Education",
     "Dean of students; Adult education director; Librarian",
     "Open access to higher education and good jobs.", "Adult learners and career changers",
     "Associate degrees, certificates, GED preparation, English classes"),
    ("{county} Head Start", SCHOOL, "", "Early literacy, Social services",
     "Program director; Family services coordinator; Teacher",
     "Kindergarten-ready kids and strong families.",
     "Children aged 3 to 5 from low-income families",
     "Preschool classrooms, home visits, parent education"),
    ("{town} Adult School", SCHOOL, "", "Education, Immigrant and refugee services",
     "Principal; ESL instructor; Transition coordinator",
     "Second chances through learning.", "Adults finishing school and newcomers learning English",
     "English as a second language, citizenship preparation, high school diplomas"),
    ("{town} Food Bank", NONPROFIT, "", "Food security",
     "Executive director; Volunteer coordinator; Partner agency manager",
     "No one in {town} goes hungry.", "Families, seniors and students facing food insecurity",
     "Food pantry, mobile distributions, SNAP application help"),
    ("{town} YMCA", NONPROFIT, "", "Youth and teens, Wellness",
     "Branch director; Youth development director; Membership coordinator",
     "Strengthen the foundations of community.", "Children, teens, families and older adults",
     "Child care, swim lessons, fitness, teen leadership clubs"),
    ("{county} Literacy Council", NONPROFIT, "", "Education, Digital literacy",
     "Executive director; Tutor coordinator; Board chair",
     "Adults who read, write and compute with confidence.", "Adults who struggle with reading",
     "One-to-one adult tutoring, family literacy, digital skills classes"),
    ("{town} Center for New Americans", NONPROFIT, "",
     "Immigrant and refugee services, Civic engagement",
     "Program manager; Immigration legal advocate; Community navigator",
     "Help immigrants and refugees build a home in {town}.", "Immigrants, refugees, asylum seekers",
     "Citizenship classes, legal consultations, refugee resettlement, interpreting"),
    ("{town} Senior Center", NONPROFIT, "", "Older adults, Wellness",
     "Center director; Activities coordinator; Case manager",
     "Healthy, connected aging in {town}.", "Adults aged 60 and over",
     "Congregate meals, exercise classes, Medicare counseling, trips"),
    ("{county} Healthy Communities Coalition", NONPROFIT, "", "Health literacy, Wellness",
     "Coalition coordinator; Health promotion specialist; Board member",
     "Make the healthy choice the easy choice across {county} County.",
     "County residents, especially neighborhoods with the poorest health outcomes",
     "Tobacco prevention, walkability projects, health fairs"),
    ("Boys & Girls Club of {town}", NONPROFIT, "", "Youth and teens, Education",
     "Club director; Education coordinator; Teen program lead",
     "A safe place to learn and grow after school.", "Young people aged 6 to 18",
     "After-school programs, homework help, summer camp, teen center"),
    ("{town} Family Resource Center", NONPROFIT, "", "Social services, Early literacy",
     "Director; Parent educator; Board member",
     "Strong families raising healthy children.", "Parents and caregivers of young children",
     "Parenting classes, playgroups, referrals, diaper bank"),
    ("United Way of {county} County", NONPROFIT, "", "Community development, Social services",
     "Community impact director; Campaign manager; 211 program manager",
     "Mobilize the caring power of the community.", "Residents of {county} County in need of help",
     "Grants to local agencies, 211 information line, free tax preparation"),
    ("{town} Community Credit Union", BUSINESS, "", "Community development, Workforce development",
     "Branch manager; Financial education officer; Marketing director",
     "Member-owned banking that invests in {town}.", "Members and small-business owners",
     "Savings and checking, small loans, free financial coaching"),
    ("{town} Booksellers", BUSINESS, "", "Arts and culture, Early literacy",
     "Owner; Events manager; Children's book buyer",
     "Put good books in people's hands.", "Readers of every age",
     "New and used books, author events, school book fairs"),
    ("{town} Chamber of Commerce", BUSINESS, "", "Workforce development, Community development",
     "President; Membership director; Small business liaison",
     "A thriving local economy for {town}.", "Local businesses and entrepreneurs",
     "Business networking, workshops, visitor information"),
    ("{town} Fresh Market", BUSINESS, "", "Food security",
     "Store manager; Community relations manager; Owner",
     "Fresh, affordable food close to home.", "Shoppers in {town} and nearby neighborhoods",
     "Grocery store, SNAP and WIC accepted, donations to food pantries"),
    ("{county} Broadband Cooperative", BUSINESS, "", "Digital literacy, Community development",
     "General manager; Member services lead; Digital inclusion coordinator",
     "Affordable internet for every {county} County home.", "Rural households and small businesses",
     "Home internet, low-income plans, device refurbishing"),
    ("{town} Neighborhood Association", COMMUNITY, "", "Civic engagement, Housing",
     "President; Secretary; Block captain",
     "Neighbors looking out for one another.", "Residents of the neighborhood",
     "Monthly meetings, clean-up days, block parties"),
    ("Rotary Club of {town}", COMMUNITY, "", "Community development, Civic engagement",
     "Club president; Literacy committee chair; Treasurer",
     "Service above self.", "Local charities and students",
     "Service projects, scholarships, dictionary giveaways to third graders"),
    ("{town} Community Garden Collective", COMMUNITY, "", "Food security, Wellness",
     "Garden coordinator; Volunteer lead; Treasurer",
     "Grow food and friendships.", "Gardeners of every skill level, many living in apartments",
     "Garden plots, seed swaps, gardening workshops"),
    ("{town} Interfaith Alliance", COMMUNITY, "", "Social services, Housing",
     "Coordinator; Pastor; Volunteer chair",
     "Congregations serving neighbors together.", "People experiencing homelessness or hardship",
     "Warming center, meal programs, rent assistance fund"),
    ("{county} Regional Library Association", OTHER, "", "Education, Civic engagement",
     "President; Continuing education chair; Advocacy committee chair",
     "Strong libraries for every community in the region.", "Library staff, trustees and Friends",
     "Conferences, continuing education, legislative advocacy"),
    ("{county} Historical Society", OTHER, "", "Arts and culture, Older adults",
     "Executive director; Archivist; Volunteer docent",
     "Collect, keep and share the stories of {county} County.", "Researchers, schools, visitors",
     "Museum, archives, oral history project, walking tours"),
))
# fmt: on
ORGANIZATIONS_PER_UNIT = len(TEMPLATES)

# What each theme means for a partnership with the library: their initiative, our offer.
FOCUS_AREA_TEXT = {
    "Arts and culture": ("a local history and arts festival", "display space and local history"),
    "Civic engagement": ("voter registration drives", "meeting rooms and candidate forums"),
    "Community development": ("a neighborhood revitalization plan", "community meeting space"),
    "Digital literacy": ("closing the digital divide", "hotspot lending and tech help"),
    "Early literacy": ("kindergarten readiness", "storytimes and 1,000 Books Before K"),
    "Education": ("raising graduation rates", "homework help and database access"),
    "Food security": ("summer meals for children", "summer meal sites at the branches"),
    "Health literacy": ("a chronic disease prevention campaign", "health information programs"),
    "Housing": ("eviction prevention", "legal-aid clinics and tenant rights workshops"),
    "Immigrant and refugee services": ("citizenship preparation", "ESL conversation circles"),
    "Mental health": ("reducing stigma around mental illness", "wellness collections"),
    "Older adults": ("reducing isolation among seniors", "homebound delivery and tech tutoring"),
    "Social services": ("connecting families to benefits", "navigator office hours"),
    "Wellness": ("a community walking challenge", "StoryWalks and fitness kits"),
    "Workforce development": ("a regional skills initiative", "job labs and online courses"),
    "Youth and teens": ("safe places after school", "teen spaces and summer reading"),
}

UNIT_0_COUNTY = "Tamarack"
UNIT_0_TOWNS = ("Cedar Bend", "Harlow Springs", "Port Alden", "Mill Creek")
PLACE_PREFIXES = (
    "Alder", "Ash", "Bay", "Birch", "Clear", "Crow", "Elk", "Fair", "Fern", "Fox", "Glen",
    "Gold", "Green", "Hazel", "High", "Iron", "Lake", "Lark", "Maple", "Oak", "Pine", "Red",
    "Rock", "Silver", "Stone", "Sun", "Thorn", "Willow", "Wolf", "Wren",
)  # fmt: skip
PLACE_SUFFIXES = (
    "brook", "bury", "crest", "dale", "field", "ford", "gate", "haven", "hurst", "land",
    "mont", "more", "port", "ridge", "stead", "ton", "vale", "view", "ville", "wood",
)  # fmt: skip
PLACE_MODIFIERS = ("", "North ", "South ", "East ", "West ", "New ", "Upper ", "Lower ")

FIRST_NAMES = (
    "Aaliyah", "Ahmed", "Alejandro", "Amara", "Ana", "Andre", "Anjali", "Ben", "Bich", "Carmen",
    "Chen", "Claire", "Darnell", "Deborah", "Diego", "Elena", "Emeka", "Farah", "Gloria",
    "Grace", "Hana", "Hector", "Imani", "Isaac", "Jamal", "Janet", "Jin", "Jose", "Kateri",
    "Keisha", "Kenji", "Laura", "Leila", "Linh", "Lucia", "Malik", "Maria", "Mei", "Michael",
    "Nadia", "Naveen", "Olga", "Omar", "Patricia", "Priya", "Rafael", "Ruth", "Samir", "Sarah",
    "Sione", "Tamika", "Thomas", "Tran", "Valentina", "Wei", "Yusuf", "Zainab", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Abernathy", "Adeyemi", "Begay", "Bergstrom", "Castillo", "Chavez", "Cho", "Coleman",
    "Dubois", "Eriksen", "Flores", "Fofanah", "Garcia", "Goldberg", "Gutierrez", "Haddad",
    "Harris", "Herrera", "Ibrahim", "Jackson", "Johnson", "Kaur", "Kowalski", "Lee", "Lopez",
    "MacLeod", "Mendoza", "Morales", "Nakamura", "Nguyen", "O'Brien", "Okafor", "Olsen",
    "Patel", "Petrov", "Quispe", "Ramirez", "Robinson", "Rossi", "Sanchez", "Schmidt", "Singh",
    "Sullivan", "Tanaka", "Thompson", "Torres", "Vasquez", "Walker", "Washington", "Yazzie",
    "Yilmaz", "Zhang",
)  # fmt: skip
STREETS = ("Main Street", "Oak Avenue", "River Road", "Church Street", "Harbor Way", "Mill Road",
           "Lincoln Boulevard", "College Avenue", "Depot Street", "Elm Court")  # fmt: skip
AREA_CODES = ("208", "360", "406", "503", "541")
CONTACT_NOTES = ("Prefers calls after 3 pm.", "Part-time; in the office Tuesdays and Thursdays.",
                 "Speaks Spanish and English; happy to co-host bilingual events.",
                 "Met at the county resource fair. Very interested in storytimes.",
                 "Send flyers as PDF, their office prints them for the lobby.",
                 "Retiring next year; ask who will take over the partnership.")  # fmt: skip
IDENTIFIED_NOTES = ("Suggested by a patron at the reference desk.",
                    "Came up at the county resource fair.",
                    "Listed in the community needs assessment.")  # fmt: skip
ACTIVE_NOTES = ("Signed a memorandum of understanding for shared programming.",
                "First joint program went well; agreed to meet every quarter.",
                "Agreed to host library card sign-ups at their site.")  # fmt: skip
DORMANT_NOTES = ("Our main contact left; nobody has picked up the partnership yet.",
                 "Grant funding for the joint program ended.",
                 "No reply since the spring; try again after their budget season.")  # fmt: skip
DECLINED_NOTES = ("No staff capacity this year; open to talking again next fiscal year.",
                  "Their board decided to focus on direct services only.",
                  "Already partnering with the school district's libraries on this.")  # fmt: skip
# One unit's mix of stages, one per template: every stage appears in every unit.
STAGE_MIX: dict[str, int] = {Stage.IDENTIFIED: 6, Stage.RESEARCHING: 6, Stage.CONTACTED: 7,
                             Stage.IN_DISCUSSION: 6, Stage.ACTIVE: 9, Stage.DORMANT: 3,
                             Stage.DECLINED: 3}  # fmt: skip
# Some people wear two hats: (their organization, their position in its contact list, the
# second organization, their role there). Position 1 is never primary nor ended, so both stay
# current.
SECOND_HATS = (
    ("{county} County Health Department", 1, "{town} Unified School District",
     "School board trustee"),  # the public health nurse
    ("{town} City Council", 1, "{town} Family Resource Center", "Board member"),
)  # fmt: skip
# People who changed jobs: same shape, the second organization being where they used to work.
PREVIOUS_JOBS = (("{town} YMCA", 1, "{town} Parks and Recreation Department",
                  "Recreation coordinator"),)  # fmt: skip
# Ties between a place's organizations (partners.relations): organization, kind, the other
# organization, the years since it began (None: not known), the years since it ended (None:
# current), and a note.
TIES = (
    ("{county} County Health Department", "member_of", "{county} Healthy Communities Coalition",
     4, None, "Co-chairs the access-to-care work group"),
    ("{town} Community Clinic", "member_of", "{county} Healthy Communities Coalition", 3, None, ""),
    ("{county} Intertribal Health Center", "member_of", "{county} Healthy Communities Coalition",
     2, None, ""),
    ("{town} Food Bank", "member_of", "{county} Healthy Communities Coalition", 5, 1,
     "Left when the coalition dropped its food access work group"),
    ("{county} Intertribal Council Education Office", "partner_of", "{county} Head Start", None,
     None, ""),
    ("{town} YMCA", "funded_by", "United Way of {county} County", 6, None, "Youth programs grant"),
    ("{county} Literacy Council", "funded_by", "United Way of {county} County", 3, None,
     "Adult literacy, renewed yearly"),
    ("{county} County Workforce Development Board", "partner_of", "{county} Community College",
     None, None, "Runs the job center on campus"),
)  # fmt: skip

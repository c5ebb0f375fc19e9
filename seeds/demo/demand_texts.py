"""The demo demands' words: each demand as partners and the local wrote it, its racial
equity impact assessment, and the comments on it. Kept apart from the seeding so each reads
on its own."""

from __future__ import annotations

from demands.models import Demand

S = Demand.Status
C = Demand.Category


def assessment(problems, causes, history, solutions, strategies, leadership, groups, data):
    return {
        "reia_problems": problems,
        "reia_causes": causes,
        "reia_history": history,
        "reia_solutions": solutions,
        "reia_strategies": strategies,
        "reia_leadership": leadership,
        "groups_affected": groups,
        "data_sources": data,
    }


NURSES = assessment(
    "Schools in Del Paso Heights and North Highlands, where most students are Black, Latino "
    "and Hmong, share one nurse between three sites; schools in whiter, wealthier attendance "
    "areas have a nurse four days a week. Students with asthma and diabetes are hurt most; "
    "the district's reserve benefits.",
    "Nurses are funded from the general fund after administration; the district counts "
    "office staff handing out medicine as coverage.",
    "Nurse positions were cut in 2009 and never restored, while administrator positions "
    "grew by 40 per cent. It is getting worse as enrolment with health plans rises.",
    "A full-time nurse and a counselor at every school, high-need schools first. Black, "
    "Latino and Hmong students gain the most; no group loses services.",
    "Open bargaining sessions with parents; a petition to the board; testimony from "
    "students with chronic illness.",
    "Parents from the Oak Grove listening session named the problem and sit on the "
    "bargaining team; students from Rio Linda Students for Change will testify.",
    "Black, Latino and Hmong students; students with chronic illness; families without a "
    "family doctor.",
    "District staffing reports 2009-2025; Oak Grove listening session; student survey "
    "January 2026.",
)
CLASS_SIZE = assessment(
    "TK-3 classes of 30+ are concentrated in schools serving low-income Latino and Black "
    "families; those students get less reading time one-on-one.",
    "Class-size waivers are granted to fill budget gaps at the schools with most vacancies.",
    "Class sizes rose after 2012 and again after the pandemic when vacancies went unfilled.",
    "A hard cap of 24 in TK-3 with aides above 20; the schools with the largest classes "
    "benefit first.",
    "Red-for-Ed Thursdays, a class-size count published by building, parents at the board.",
    "Parents for Public Schools co-wrote the demand and lead the class-size count.",
    "Latino and Black students in TK-3; English learners; their teachers.",
    "Class-size counts by building, fall 2025; Oak Grove parents' night.",
)
HOUSING = assessment(
    "More than 1,000 Twin Rivers students are unhoused; most are Black and Latino. Landlords "
    "and motel owners profit; students lose weeks of school with each move.",
    "Evictions peak in the school year; McKinney-Vento transport is slow to arrange.",
    "Unhoused student counts doubled since 2019 as rents rose in North Sacramento.",
    "A housing liaison at each high-need school, transport within 48 hours, and district "
    "land offered for family housing. Unhoused families of every group benefit.",
    "Tenants' union and faith partners press the city council on land; bargaining for the "
    "liaisons; a public vigil at the board.",
    "Tenant families from the Rio Linda Boulevard meeting co-lead and will speak at the table.",
    "Unhoused and doubled-up students; Black and Latino families; families in motels.",
    "McKinney-Vento counts 2019-2025; tenant meeting November 2025; county eviction data.",
)
RESTORATIVE = assessment(
    "Black students are suspended for willful defiance at several times the rate of their "
    "classmates; they lose instruction and are pushed toward the justice system.",
    "Discretionary suspension policies and no staff trained in restorative practices.",
    "Suspension gaps have stayed wide for a decade despite state limits on defiance "
    "suspensions in the lower grades.",
    "Restorative justice coordinators at every middle and high school; no suspensions for "
    "willful defiance. Black students benefit most; all students gain calmer schools.",
    "Listening circles, data published by the Black Parallel School Board, board testimony.",
    "Black parents and former students named the issue and lead the restorative pilot design.",
    "Black students; students with disabilities; foster youth.",
    "California dashboard suspension data; Del Paso Heights listening circle December 2025.",
)
PAY = assessment(
    "Vacancies fall hardest on schools serving Black, Latino and Hmong students, who are "
    "taught by a rotating cast of substitutes.",
    "Salaries below neighbouring districts; the district's reserves grow instead.",
    "The district spent years disinvesting in educator pay while reserves rose.",
    "Salaries that match neighbouring districts, with retention pay at hard-to-staff sites; "
    "students at those schools benefit most.",
    "Open bargaining, 800-strong rallies, a strike authorisation vote if needed.",
    "Educators of colour on the bargaining team; parents speak to what vacancies cost.",
    "Students at hard-to-staff schools; educators of colour; early-career teachers.",
    "Salary schedules of neighbouring districts; vacancy counts by building.",
)
ETHNIC = assessment(
    "Hmong, Black and Latino students rarely see their histories in the curriculum; "
    "students who do take ethnic studies attend more and graduate more.",
    "No trained staff and no course sections at most high schools.",
    "A state requirement is coming but the district has no plan or training.",
    "Ethnic studies taught by trained educators in every high school, designed with "
    "community partners.",
    "Student walk-out teach-in, community curriculum nights, testimony at the board.",
    "Hmong Youth and Parents United and Rio Linda Students for Change co-author the design.",
    "Hmong, Black, Latino and Native students; all students.",
    "Course catalogue 2025; student survey January 2026; Stanford ethnic-studies study.",
)
ICE = assessment(
    "Undocumented and mixed-status families, most of them Latino, keep children home when "
    "rumours of immigration raids spread.",
    "No district policy on immigration agents at schools.",
    "Attendance dropped after each raid rumour since 2017.",
    "No cooperation with ICE on school grounds without a judicial warrant; know-your-rights "
    "training for staff. Immigrant families benefit; nobody loses.",
    "Faith partners host know-your-rights nights; board resolution; contract language.",
    "Immigrant parents in the interfaith alliance named it and lead the training.",
    "Undocumented and mixed-status families; Latino and Southeast Asian students.",
    "Attendance data around raid rumours; interfaith listening sessions.",
)
CASELOADS = assessment(
    "Special education caseloads are highest at schools serving Black and Latino students "
    "with disabilities, who wait longest for services.",
    "No contractual caseload caps; vacancies covered by increasing caseloads.",
    "Caseloads have grown every year since 2018.",
    "Caseload caps by programme with relief when exceeded; students with IEPs at high-need "
    "schools benefit first.",
    "IEP parents at the board; caseload counts published by building.",
    "Parents of students with disabilities co-wrote the caps.",
    "Students with disabilities; Black and Latino students over-identified for special education.",
    "Caseload reports 2018-2025; parent survey.",
)
PARTIAL = {
    "reia_problems": "Students and families who speak Hmong, Spanish and Russian are left out "
    "of parent conferences and IEP meetings.",
    "reia_causes": "Interpreters are booked centrally and rarely available.",
    "groups_affected": "Hmong, Latino and Slavic immigrant families.",
}

# (title, category, priority, status, co-author indexes, endorser indexes, shared indexes,
#  published, finding index, summary, problem, solution, assessment)
DEMANDS = [
    (
        "A nurse and a counselor in every school",
        C.HEALTH,
        1,
        S.ADOPTED,
        [0, 3],
        [],
        [5],
        False,
        0,
        "Every Twin Rivers school gets a full-time nurse and a counselor.",
        "Our schools share nurses and counselors; students go without care.",
        "Fund a full-time nurse and counselor at every school, high-need schools first.",
        NURSES,
    ),
    (
        "Class sizes no larger than 24 in TK-3",
        C.CONDITIONS,
        1,
        S.ADOPTED,
        [0],
        [],
        [],
        True,
        1,
        "Smaller classes in the early grades, so every child learns to read.",
        "Kindergarten classes of 31 with no aide.",
        "Cap TK-3 classes at 24 with an aide above 20.",
        CLASS_SIZE,
    ),
    (
        "Housing support for students without a home",
        C.HOUSING,
        1,
        S.ADOPTED,
        [1, 2],
        [0],
        [],
        True,
        3,
        "Housing liaisons, quick transport and district land for family housing.",
        "Over a thousand students are unhoused and lose school with each move.",
        "A housing liaison at each high-need school; transport in 48 hours; land for housing.",
        HOUSING,
    ),
    (
        "Restorative justice in place of suspensions",
        C.DISCIPLINE,
        1,
        S.ADOPTED,
        [3, 1],
        [0],
        [],
        True,
        6,
        "Restorative justice coordinators, and no suspensions for willful defiance.",
        "Black students are suspended at several times the rate of their classmates.",
        "Coordinators in every middle and high school; end defiance suspensions.",
        RESTORATIVE,
    ),
    (
        "Pay that keeps good teachers in Twin Rivers",
        C.WAGES,
        1,
        S.ADOPTED,
        [],
        [7, 0],
        [],
        True,
        None,
        "Salaries that match our neighbours, so teachers stay.",
        "Vacancies leave students with a rotating cast of substitutes.",
        "Match neighbouring districts' salary schedules; retention pay at hard-to-staff sites.",
        PAY,
    ),
    (
        "Ethnic studies taught by trained educators",
        C.CURRICULUM,
        2,
        S.REVIEW,
        [4, 5, 0],
        [],
        [],
        False,
        None,
        "Ethnic studies in every high school, designed with the community.",
        "Students rarely see their histories in what they learn.",
        "Trained educators and sections in every high school.",
        ETHNIC,
    ),
    (
        "Interpreters and family liaisons at every site",
        C.STAFFING,
        2,
        S.REVIEW,
        [4],
        [],
        [0],
        False,
        9,
        "Families take part in their children's schooling in their own language.",
        "Children interpret for their own parents at conferences.",
        "Trained interpreters and a family liaison at every site.",
        PARTIAL,
    ),
    (
        "No cooperation with ICE on school grounds",
        C.IMMIGRATION,
        2,
        S.WON,
        [1],
        [0, 3],
        [],
        True,
        None,
        "Schools are safe places for immigrant families.",
        "Families keep children home when raid rumours spread.",
        "No cooperation without a judicial warrant; know-your-rights training.",
        ICE,
    ),
    (
        "Safe routes to school around Del Paso Heights",
        C.SAFETY,
        3,
        S.DRAFT,
        [],
        [],
        [6, 0],
        False,
        None,
        "",
        "Students walk along boulevards with no crossings.",
        "",
        {},
    ),
    (
        "Mental health days and student-led wellness rooms",
        C.HEALTH,
        2,
        S.DRAFT,
        [5],
        [],
        [],
        False,
        8,
        "",
        "Most students have never met their counselor.",
        "",
        {},
    ),
    (
        "Special education caseload caps",
        C.CONDITIONS,
        2,
        S.ADOPTED,
        [],
        [0],
        [],
        False,
        None,
        "Caseload caps so students with IEPs get the services they are owed.",
        "Caseloads grow every year; students wait for services.",
        "Caps by programme, with relief when exceeded.",
        CASELOADS,
    ),
    (
        "Stop new charter approvals that drain neighbourhood schools",
        C.OTHER,
        3,
        S.WITHDRAWN,
        [0],
        [],
        [],
        False,
        None,
        "",
        "Two new charter campuses are planned in Del Paso Heights.",
        "",
        {},
    ),
]

COMMENTS = [
    (
        "partner",
        "Parents at Oak Grove want the nurse language to say 'every day the school is open'.",
    ),
    ("leader", "Agreed. The research team is pricing it at 48 sites."),
    ("leader", "Stewards at Rio Vista say staff will wear red on Thursday for this one."),
]

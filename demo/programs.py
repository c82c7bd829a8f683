"""Demo programs: real single-person household programs drawn from the seed documents.

Plain data, built for a given year (application periods follow the current year). Each program is a
dict of Program fields plus ``city`` / ``district`` codes, its policy real-name record (``officials``,
``milestones``) and its eligibility ``rules`` (a tree of :func:`all_of` / :func:`any_of` groups and
:func:`rule` criteria, or None when everyone qualifies). ``demo.loader`` writes them.

Sources: Gwanak-gu's plan (44 projects in 4 areas), Jung-gu's 정책실명제 record no. 2023-13, Gwangju
Seo-gu's youth family caregiver allowance, the Seoul / Daegu / Yeongdeungpo-gu safety kits, the safety
door and parcel locker services, and Seoul's Community Building Project. Where a seed names a program
without details, the text is written in the style of a district notice; the responsible officials of
programs other than Jung-gu's are demo names, not real people.
"""

from __future__ import annotations

from datetime import date
from typing import Any

# Place codes (행정표준코드)
SEOUL, DAEGU, GWANGJU = "11", "27", "29"
GWANAK, JUNGGU, YEONGDEUNGPO, GWANGJU_SEOGU = "11620", "11140", "11560", "29140"


# --- rule builders ----------------------------------------------------------------------------------
def rule(
    field: str,
    operator: str,
    value: Any = None,
    *,
    ko: str,
    en: str,
    parameter: str = "",
    percent: int | None = None,
    year: int | None = None,
    size: int | None = None,
) -> dict[str, Any]:
    return {
        "kind": "rule",
        "field": field,
        "operator": operator,
        "value": value,
        "parameter": parameter,
        "parameter_percent": percent,
        "parameter_year": year,
        "parameter_household_size": size,
        "explanation": ko,
        "explanation_en": en,
    }


def all_of(*parts: dict[str, Any], label: str = "") -> dict[str, Any]:
    return {"kind": "group", "logic": "all", "label": label, "parts": list(parts)}


def any_of(*parts: dict[str, Any], label: str = "") -> dict[str, Any]:
    return {"kind": "group", "logic": "any", "label": label, "parts": list(parts)}


def lives_in(code: str, ko: str, en: str) -> dict[str, Any]:
    return rule("district", "eq", code, ko=f"{ko}에 거주", en=f"Lives in {en}")


def lives_in_city(code: str, ko: str, en: str) -> dict[str, Any]:
    return rule("city", "eq", code, ko=f"{ko}에 거주", en=f"Lives in {en}")


def income_at_most(percent: int) -> dict[str, Any]:
    return rule(
        "monthly_income",
        "lte",
        parameter="median_income",
        percent=percent,
        ko=f"월 소득이 기준중위소득 {percent}% 이하",
        en=f"Monthly income at most {percent}% of the standard median income",
    )


IN_GWANAK = lives_in(GWANAK, "관악구", "Gwanak-gu")
IN_JUNGGU = lives_in(JUNGGU, "서울 중구", "Jung-gu, Seoul")
IN_YEONGDEUNGPO = lives_in(YEONGDEUNGPO, "영등포구", "Yeongdeungpo-gu")
IN_GWANGJU_SEOGU = lives_in(GWANGJU_SEOGU, "광주광역시 서구", "Seo-gu, Gwangju")
IN_SEOUL = lives_in_city(SEOUL, "서울특별시", "Seoul")
IN_DAEGU = lives_in_city(DAEGU, "대구광역시", "Daegu")

YOUTH = rule("age", "between", [19, 39], ko="만 19세 이상 39세 이하", en="Aged 19 to 39")
MIDDLE_AGED = rule("age", "between", [40, 64], ko="만 40세 이상 64세 이하", en="Aged 40 to 64")
SENIOR = rule("age", "gte", 65, ko="만 65세 이상", en="Aged 65 or over")
WOMAN = rule("gender", "eq", "female", ko="여성", en="A woman")
ALONE = rule("household_size", "eq", 1, ko="1인가구(혼자 거주)", en="Lives alone (household of one)")
JEONSE = rule("housing_tenure", "eq", "jeonse", ko="전세로 거주", en="Rents on a jeonse deposit lease")
MONTHLY_RENT = rule("housing_tenure", "eq", "monthly_rent", ko="월세로 거주", en="Pays monthly rent")
RENTING = rule(
    "housing_tenure",
    "in",
    ["jeonse", "monthly_rent"],
    ko="전세 또는 월세로 거주(무주택 임차인)",
    en="Rents a home (jeonse or monthly rent)",
)


# --- shared records ---------------------------------------------------------------------------------
# 정책실명제 중점관리 대상사업 2023-13 「1인가구도 행복한 중구 조성」 (서울 중구 복지정책과), as published.
JUNGGU_RECORD: dict[str, Any] = {
    "policy_number": "2023-13",
    "policy_background": "급속한 1인가구 증가로 대상별 특성을 고려한 맞춤형 대응 필요",
    "policy_period": "2021. 7월 ~ 계속",
    "officials": [
        ("복지정책과", "복지정책과장", "이춘배"),
        ("복지정책과", "팀장", "윤경희"),
        ("복지정책과", "담당 행정6급", "서민경"),
    ],
    "milestones": [
        (
            date(2021, 8, 1),
            date(2021, 10, 31),
            "「중구 1인가구 지원 조례」 수립 및 성과관리 추진: 중구 1인가구 지원대책 추진방향 방침수립, "
            "1인가구 지원 유관부서장 구청장 주재 회의, 중구 1인가구 지원업무 가이드라인 방침수립",
            "이수정 과장, 엄태섭 팀장, 손상영 주무관, 김도희 주무관",
        ),
        (
            date(2021, 8, 1),
            date(2022, 11, 30),
            "「1인가구 소통공간」 조성: 황학동 1인가구 소통공간 조성 관련 보고 및 면담(중구 교육지원센터 "
            "'이로움' 시설담당자, 황학동 원씨드 카페 창업주, '소굴' 예술인단체 대표), 2022년 상반기 "
            "특별조정교부금 선정(1억6천만원), 2022년 서울시 '싱글빙글 사랑방' 공모 선정(2천만원), "
            "공간 설계·명칭공모·인테리어 공사 진행('22.7.~11.)",
            "이수정 과장, 엄태섭 팀장",
        ),
        (
            date(2022, 1, 1),
            date(2022, 12, 31),
            "『서울특별시 중구 1인가구 지원조례』 제정('22.10.19. 공포), 1인가구를 위한 다양한 프로그램 "
            "추진(총 30회 585명 참여: 소셜다이닝, 재무관리·정리수납 특강, 흥당무마켓, 무비나이트 등), "
            "1인가구 안심 홈 상담소 전담매니저 2인 위촉 및 운영, 'AI를 활용한 1인가구 생활관리 서비스' "
            "운영 및 살피미 앱 설치(404명), 1인가구 온라인 플랫폼(카카오톡 채널, 네이버 카페) 운영",
            "손상영 주무관, 김도희 주무관",
        ),
        (
            date(2023, 1, 1),
            date(2023, 6, 30),
            "1인가구 소통공간 <놀다가> 개소 및 운영('23.1.28.), 소통공간 화장실 전면 리모델링('23.4.), "
            "1인가구 지원 행사 및 프로그램 운영((특별) 흥당무마켓 5.13., 미리,정동야행 6.9. / (상시) "
            "행복한밥상, 재무교육, 가드닝, 포틀럭파티 등), 기초자치단체 최초 전월세반환보증보험료 "
            "지원사업 시행, 1인가구 온라인 플랫폼 네이버카페 활성화(920명)",
            "이수정 과장, 안소영 팀장, 서민경 주무관",
        ),
        (
            date(2023, 7, 1),
            date(2023, 8, 31),
            "1인가구 소통공간 <놀다가> 및 1인가구 특화사업 계속 추진",
            "이춘배 과장, 윤경희 팀장, 서민경 주무관",
        ),
    ],
}

JUNGGU_DEPARTMENT = "서울 중구 복지정책과"
JUNGGU_LAW = "서울특별시 중구 1인가구 지원 조례('22.10.19. 공포)"
NOLDAGA = "황학동 1인가구 소통공간 <놀다가>"

GWANAK_TEAM = "관악구 1인가구지원과 1인가구지원팀"
GWANAK_LAW = "서울특별시 관악구 1인가구 지원 조례"
GWANAK_PLAN_MILESTONE = (
    date(2021, 1, 1),
    date(2021, 12, 31),
    "「관악구 1인가구 지원 조례」 제정·공포 및 1인가구 지원 종합계획 수립"
    "(4대 분야 44개 사업, 2022~2024년 총 224억 원 규모)",
    "1인가구지원과",
)
SEOUL_LAW = "서울특별시 1인가구 지원 기본 조례"


def _gwanak_officials(department: str = "1인가구지원과", team: str = "1인가구지원팀") -> list[tuple]:
    return [
        (f"관악구 {department}", f"{department}장", "정혜원"),
        (f"관악구 {department}", f"{team}장", "김태윤"),
        (f"관악구 {department}", "주무관", "박서연"),
    ]


def _year_plan(year: int, text: str, people: str = "") -> tuple:
    return (date(year, 1, 1), date(year, 2, 28), f"{year}년 {text}", people)


# --- the programs -----------------------------------------------------------------------------------
def demo_programs(year: int) -> list[dict[str, Any]]:
    """Every demo program, with application periods in `year` (the current year)."""
    whole_year = {
        "application_start": date(year, 1, 1),
        "application_end": date(year, 12, 31),
        "period_note": f"{year}. 1. 1. ~ {year}. 12. 31. (예산 소진 시 조기 마감)",
    }
    always = {"application_start": None, "application_end": None, "period_note": "연중 상시"}
    last_year = year - 1

    programs: list[dict[str, Any]] = [
        # ============================== 주거·일자리 (housing & jobs) ==============================
        {
            "slug": "seoul-youth-monthly-rent",
            "title": "서울시 청년월세 지원",
            "title_en": "Seoul Youth Monthly Rent Support",
            "summary": "월세로 사는 서울 청년 1인가구에 월 최대 20만 원의 월세를 최대 12개월 지원합니다.",
            "summary_en": "Up to 200,000 won a month towards the rent of young people renting alone in "
            "Seoul, "
            "for up to 12 months.",
            "category": "housing_jobs",
            "for_youth": True,
            "benefit_type": "cash",
            "target_text": "서울시에 거주하는 만 19~39세 무주택 청년으로, 임차보증금 8천만 원 이하·월세 "
            "60만 원 "
            "이하 주택에 월세로 거주하며 가구 소득이 기준중위소득 150% 이하인 사람",
            "target_text_en": "Young people aged 19–39 living in Seoul who own no home, rent a home with a "
            "deposit of at most 80 million won and a rent of at most 600,000 won, and whose household "
            "income is at most 150% of the standard median income.",
            "benefit_text": "월 최대 20만 원(실 납부 월세 범위 내), 최대 12개월 지원",
            "benefit_text_en": "Up to 200,000 won a month (never more than the rent actually paid), for up "
            "to 12 months.",
            "selection_text": "자격 요건 확인 후 소득 구간별 우선순위에 따라 선정하며, 동일 순위 내에서는 "
            "전산 추첨",
            "application_start": date(year, 5, 1),
            "application_end": date(year, 5, 31),
            "period_note": f"{year}. 5. 1. ~ {year}. 5. 31.",
            "how_to_apply": "서울주거포털 온라인 신청 또는 이 포털에서 신청",
            "required_documents": "임대차계약서 사본, 월세 이체 증빙(최근 3개월), 주민등록등본, "
            "가족관계증명서",
            "department": "서울특별시 미래청년기획단 청년정책담당관",
            "contact": "120 다산콜센터",
            "legal_basis": "청년기본법, 서울특별시 청년 기본 조례",
            "capacity": 15000,
            "selection_method": "lottery",
            "city": SEOUL,
            "district": None,
            "officials": [
                ("서울특별시 미래청년기획단", "청년정책담당관", "한지수"),
                ("서울특별시 미래청년기획단", "주무관", "오세린"),
            ],
            "milestones": [
                (date(2021, 1, 1), date(2021, 12, 31), "서울시 청년월세 지원사업 시행", ""),
                _year_plan(year, "청년월세 지원 모집 계획 수립 및 공고", "청년정책담당관"),
            ],
            "rules": all_of(IN_SEOUL, YOUTH, MONTHLY_RENT, income_at_most(150)),
        },
        {
            "slug": "seoul-youth-moving-cost",
            "title": "서울시 청년 부동산 중개보수 및 이사비 지원",
            "title_en": "Seoul Youth Brokerage Fee and Moving Cost Support",
            "summary": "이사한 무주택 청년에게 부동산 중개보수와 이사비를 최대 40만 원까지 실비로 "
            "지원합니다.",
            "summary_en": "Reimburses the estate agent's fee and moving costs of young renters who moved "
            "home, "
            "up to 400,000 won.",
            "category": "housing_jobs",
            "for_youth": True,
            "benefit_type": "cash",
            "target_text": "서울시로 전입했거나 서울시 안에서 이사한 만 19~39세 무주택 청년으로 "
            "기준중위소득 150% 이하이며 전·월세 보증금 2억 원 이하 주택에 거주하는 사람",
            "target_text_en": "Young people aged 19–39 who own no home, moved into or within Seoul, earn at "
            "most 150% of the standard median income and rent a home with a deposit of at most 200 million "
            "won.",
            "benefit_text": "부동산 중개보수, 이사비(용역업체·차량 대여) 실비 최대 40만 원, 생애 1회",
            "benefit_text_en": "The estate agent's fee and moving costs (removal firm or van hire) as "
            "actually paid, up to 400,000 won, once in a lifetime.",
            "selection_text": "신청 순으로 자격을 확인하여 예산 범위 내 지급",
            "application_start": date(year, 3, 1),
            "application_end": date(year, 11, 30),
            "period_note": f"{year}. 3. 1. ~ {year}. 11. 30. (예산 소진 시 조기 마감)",
            "how_to_apply": "이 포털 또는 서울주거포털에서 온라인 신청",
            "required_documents": "임대차계약서, 중개보수 영수증 또는 이사비 영수증, 주민등록초본",
            "department": "서울특별시 주택정책실 주거정책과",
            "contact": "120 다산콜센터",
            "legal_basis": "서울특별시 청년 기본 조례",
            "capacity": 8000,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": None,
            "officials": [
                ("서울특별시 주거정책과", "주거정책과장", "문태호"),
                ("서울특별시 주거정책과", "주무관", "강예린"),
            ],
            "milestones": [_year_plan(year, "청년 부동산 중개보수 및 이사비 지원계획 수립", "주거정책과")],
            "rules": all_of(IN_SEOUL, YOUTH, RENTING, income_at_most(150)),
        },
        {
            "slug": "seoul-safe-lease-help",
            "title": "1인가구 전월세 안심계약 도움서비스",
            "title_en": "Safe Lease Help for People Living Alone",
            "summary": "주거안심매니저가 전·월세 계약 상담, 집 보기 동행, 주거지 주변 정보를 무료로 "
            "도와드립니다.",
            "summary_en": "A housing safety manager helps for free with your lease: advice on the contract, "
            "company on viewings and information about the neighbourhood.",
            "category": "housing_jobs",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "서울시에서 전·월세 계약을 앞둔 1인가구",
            "target_text_en": "People living alone in Seoul who are about to sign a jeonse or monthly-rent "
            "lease.",
            "benefit_text": "전·월세 계약 상담(등기부등본·건축물대장 확인 방법 등), 집 보기 동행, 주거지 "
            "주변 환경 및 시설 정보 제공",
            "benefit_text_en": "Advice on the lease (how to read the land register and building ledger), a "
            "manager to come along on viewings, and information about the area and its facilities.",
            "selection_text": "신청 순서에 따라 주거안심매니저 배정",
            **always,
            "how_to_apply": "이 포털 또는 서울주거포털에서 신청 후 매니저와 일정 조율",
            "required_documents": "",
            "department": "서울특별시 1인가구담당관",
            "contact": "120 다산콜센터",
            "legal_basis": SEOUL_LAW,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": None,
            "officials": [
                ("서울특별시 1인가구담당관", "1인가구담당관", "유정민"),
                ("서울특별시 1인가구담당관", "주무관", "배하린"),
            ],
            "milestones": [
                (
                    date(2022, 1, 1),
                    date(2022, 12, 31),
                    "전월세 안심계약 도움서비스 도입, 주거안심매니저 위촉",
                    "",
                ),
                _year_plan(year, "주거안심매니저 운영계획 수립", "1인가구담당관"),
            ],
            "rules": all_of(IN_SEOUL, ALONE),
        },
        {
            "slug": "junggu-jeonse-guarantee-fee",
            "title": "1인가구 전세보증금 반환보증료 지원",
            "title_en": "Jeonse Deposit Return Guarantee Fee Support",
            "summary": "전세로 사는 중구 1인가구가 낸 전세보증금 반환보증 보험료를 지원합니다. "
            "기초자치단체 최초로 시행한 사업입니다.",
            "summary_en": "Pays back the deposit-return guarantee premium of people living alone on a jeonse "
            "lease in Jung-gu — the first such scheme run by a basic local government.",
            "category": "housing_jobs",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "cash",
            "target_text": "서울 중구에 거주하는 무주택 1인가구로, 전세보증금 3억 원 이하 주택에 전세로 "
            "거주하며 주택도시보증공사(HUG)·한국주택금융공사(HF)·SGI서울보증의 전세보증금 반환보증에 "
            "가입한 사람",
            "target_text_en": "People living alone in Jung-gu, Seoul, who own no home, rent on a jeonse "
            "deposit of at most 300 million won and have taken out a deposit-return guarantee with HUG, HF "
            "or SGI Seoul Guarantee.",
            "benefit_text": "납부한 반환보증 보험료 실비 지원(최대 30만 원)",
            "benefit_text_en": "The guarantee premium you paid, up to 300,000 won.",
            "selection_text": "서류 확인 후 예산 범위 내에서 신청 순으로 지원",
            **whole_year,
            "how_to_apply": "이 포털에서 신청하거나 중구청 복지정책과 방문 신청",
            "required_documents": "임대차계약서, 보증보험 가입 증명서 및 보험료 납부 영수증, 통장 사본",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6321",
            "legal_basis": JUNGGU_LAW,
            "capacity": 300,
            "selection_method": "review",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": all_of(IN_JUNGGU, ALONE, JEONSE),
            # What the district checks before paying: the 구비서류 above, asked on the form.
            "questions": [
                {
                    "kind": "number",
                    "label": "전세보증금 (원)",
                    "label_en": "Jeonse deposit (won)",
                    "help_text": "임대차계약서에 적힌 금액. 3억 원 이하여야 지원받을 수 있어요.",
                    "help_text_en": "The amount on your lease; it must be at most 300,000,000 won.",
                },
                {
                    "kind": "choice",
                    "label": "반환보증에 가입한 기관",
                    "label_en": "Where you took out the deposit-return guarantee",
                    "choices": ["주택도시보증공사(HUG)", "한국주택금융공사(HF)", "SGI서울보증"],
                },
                {
                    "kind": "file",
                    "label": "임대차계약서 (확정일자가 찍힌 것)",
                    "label_en": "Lease contract (with the fixed-date stamp)",
                },
                {
                    "kind": "file",
                    "label": "보증보험 가입 증명서 및 보험료 납부 영수증",
                    "label_en": "Guarantee certificate and the premium receipt",
                    "help_text": "보증기관에서 발급한 증명서와 보험료를 낸 영수증을 한 파일로 올려 주세요.",
                    "help_text_en": "The guarantor's certificate and the receipt of the premium you "
                    "paid, in one file.",
                },
                {
                    "kind": "file",
                    "label": "본인 명의 통장 사본",
                    "label_en": "Copy of your bank book",
                    "help_text": "지원금을 받을 계좌입니다.",
                    "help_text_en": "The account the support is paid into.",
                },
            ],
            **JUNGGU_RECORD,
        },
        {
            "slug": "junggu-safe-home-counselling",
            "title": "전월세 계약 안심 홈 상담소",
            "title_en": "Safe Home Lease Counselling Office",
            "summary": "전담매니저가 전·월세 계약 전 확인할 점, 전세사기 예방, 계약서 검토를 1:1로 상담해 "
            "드립니다.",
            "summary_en": "Dedicated managers give one-to-one advice before you sign a lease: what to check, "
            "how to avoid jeonse fraud, and a review of your contract.",
            "category": "housing_jobs",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "전·월세 계약을 앞두었거나 계약 중 어려움을 겪는 중구 주민 누구나(1인가구 우선)",
            "target_text_en": "Any Jung-gu resident about to sign, or having trouble with, a lease (people "
            "living alone first).",
            "benefit_text": "1인가구 안심 홈 상담소 전담매니저 2인의 1:1 대면·전화 상담, 계약서 및 "
            "등기부등본 검토, 필요시 법률구조기관 연계",
            "benefit_text_en": "One-to-one advice in person or by phone from the office's two dedicated "
            "managers, a review of the contract and land register, and referral to legal aid if needed.",
            "selection_text": "예약 순",
            **always,
            "how_to_apply": "이 포털에서 상담 예약 또는 전화 예약",
            "required_documents": "상담 시 임대차계약서(안) 또는 등기부등본 지참",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6322",
            "legal_basis": JUNGGU_LAW,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": None,
            **JUNGGU_RECORD,
        },
        {
            "slug": "junggu-finance-organizing-lecture",
            "title": "1인가구 재무관리·정리수납 특강",
            "title_en": "Money Management and Home Organising Classes",
            "summary": "혼자 사는 살림에 꼭 필요한 재무관리(예산·저축·신용)와 정리수납 요령을 전문가에게 "
            "배웁니다.",
            "summary_en": "Learn from experts the money skills (budget, savings, credit) and home organising "
            "tips a one-person household needs.",
            "category": "housing_jobs",
            "for_youth": True,
            "for_middle_aged": True,
            "benefit_type": "service",
            "target_text": "서울 중구에 거주하는 1인가구",
            "target_text_en": "People living alone in Jung-gu, Seoul.",
            "benefit_text": f"{NOLDAGA}에서 월 1회 재무교육 및 정리수납 특강(회당 2시간), 1:1 재무상담 연계",
            "benefit_text_en": "A monthly two-hour class on money management or home organising at the "
            "Noldaga community space in Hwanghak-dong, with referral to one-to-one financial advice.",
            "selection_text": "선착순 모집(회차별 20명)",
            **whole_year,
            "how_to_apply": "이 포털에서 회차를 골라 신청",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6323",
            "legal_basis": JUNGGU_LAW,
            "capacity": 20,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": all_of(IN_JUNGGU, ALONE),
            **JUNGGU_RECORD,
        },
        {
            "slug": "gwanak-middle-aged-job-skills",
            "title": "중장년 1인가구 일자리 역량강화 교육",
            "title_en": "Job Skills Training for Middle-aged People Living Alone",
            "summary": "재취업·전직을 준비하는 중장년 1인가구에 자격증 취득 교육과 취업 상담을 지원합니다.",
            "summary_en": "Certificate courses and job counselling for middle-aged people living alone who "
            "want to return to work or change careers.",
            "category": "housing_jobs",
            "for_middle_aged": True,
            "benefit_type": "service",
            "target_text": "관악구에 거주하는 만 40~64세 1인가구",
            "target_text_en": "People aged 40–64 living alone in Gwanak-gu.",
            "benefit_text": "직업 훈련(자격증 과정) 수강료 지원, 관악구 일자리센터 1:1 취업 상담 및 구인처 "
            "연계",
            "benefit_text_en": "Fees for vocational (certificate) courses, one-to-one counselling at the "
            "Gwanak-gu job centre and introductions to employers.",
            "selection_text": "취업 의지와 필요도를 서류로 심사",
            **whole_year,
            "how_to_apply": "이 포털에서 신청 후 관악구 일자리센터 상담",
            "required_documents": "구직 등록 확인서(워크넷)",
            "department": "관악구 일자리정책과 일자리지원팀",
            "contact": "02-879-5613",
            "legal_basis": GWANAK_LAW,
            "capacity": 40,
            "selection_method": "review",
            "city": SEOUL,
            "district": GWANAK,
            "officials": [
                ("관악구 일자리정책과", "일자리정책과장", "문경호"),
                ("관악구 일자리정책과", "주무관", "이다은"),
            ],
            "milestones": [
                GWANAK_PLAN_MILESTONE,
                _year_plan(year, "중장년 1인가구 일자리 역량강화 교육 계획 수립"),
            ],
            "rules": all_of(IN_GWANAK, MIDDLE_AGED, ALONE),
        },
        # ================================== 안전 (safety) ==================================
        {
            "slug": "seoul-safe-home-set",
            "title": "서울시 1인가구 안심홈세트 지원",
            "title_en": "Seoul Safe Home Set for People Living Alone",
            "summary": "혼자 사는 여성의 불안을 덜고 범죄를 예방하도록 현관문 이중잠금장치, 휴대용 긴급벨, "
            "창문잠금장치, 스마트 안전센서를 무료로 지원합니다.",
            "summary_en": "To ease the worries of women living alone and prevent crime: a double door lock, "
            "a portable emergency bell, window locks and a smart safety sensor, free of charge.",
            "category": "safety",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "for_women": True,
            "benefit_type": "in_kind",
            "target_text": "서울시에 거주하는 여성 1인가구로 기준중위소득 150% 이하인 사람(지원 대상과 "
            "품목은 자치구마다 다를 수 있음)",
            "target_text_en": "Women living alone in Seoul whose income is at most 150% of the standard "
            "median income (who qualifies and which items are offered may differ between districts).",
            "benefit_text": "안심홈세트 4종 중 선택 설치: ① 현관문 이중잠금장치 ② 휴대용 긴급벨(누르면 "
            "보호자에게 문자 발송) ③ 창문잠금장치 ④ 스마트 안전센서",
            "benefit_text_en": "A choice from the four-item set, installed for you: (1) double door lock, "
            "(2) portable emergency bell (texts your contacts when pressed), (3) window locks, (4) smart "
            "safety sensor.",
            "selection_text": "소득, 주거 형태(반지하·노후 주택 등)와 범죄 취약도를 고려하여 선정",
            **whole_year,
            "how_to_apply": "이 포털에서 신청하거나 거주지 동 주민센터에 방문 신청",
            "required_documents": "임대차계약서 또는 주민등록등본",
            "department": "서울특별시 1인가구담당관",
            "contact": "120 다산콜센터",
            "legal_basis": SEOUL_LAW,
            "capacity": 5000,
            "selection_method": "review",
            "city": SEOUL,
            "district": None,
            "officials": [
                ("서울특별시 1인가구담당관", "1인가구담당관", "유정민"),
                ("서울특별시 1인가구담당관", "주무관", "신가은"),
            ],
            "milestones": [
                _year_plan(year, "1인가구 안심홈세트 지원계획 수립 및 자치구 물량 배정", "1인가구담당관")
            ],
            "rules": all_of(IN_SEOUL, WOMAN, ALONE, income_at_most(150)),
        },
        {
            "slug": "gwanak-women-safe-home-set",
            "title": "관악구 여성 1인가구 안심홈세트",
            "title_en": "Gwanak-gu Safe Home Set for Women Living Alone",
            "summary": "여성 1인가구 비율이 전국에서 가장 높은 관악구가 '여성안심특별구 관악' 사업으로 "
            "안심홈세트를 설치해 드립니다.",
            "summary_en": "Gwanak-gu, with the highest share of women living alone in the country, installs "
            "safe home sets as part of its 'Women's Safety Special District' project.",
            "category": "safety",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "for_women": True,
            "benefit_type": "in_kind",
            "target_text": "관악구에 거주하는 여성 1인가구",
            "target_text_en": "Women living alone in Gwanak-gu.",
            "benefit_text": "현관문 이중잠금장치, 휴대용 긴급벨, 창문잠금장치, 스마트 안전센서 중 선택 "
            "무료 설치",
            "benefit_text_en": "Free installation of your choice of a double door lock, a portable emergency "
            "bell, window locks and a smart safety sensor.",
            "selection_text": "재고 범위 내 신청 순(반지하·1층 거주자 우선 배정)",
            **whole_year,
            "how_to_apply": "이 포털에서 안심홈세트 신청 후 설치 방문 일정 선택",
            "required_documents": "",
            "department": "관악구 여성가족과 여성안전팀",
            "contact": "02-879-6531",
            "legal_basis": f"{GWANAK_LAW}, 서울특별시 관악구 여성폭력 방지 및 피해자 지원 조례",
            "capacity": 500,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": GWANAK,
            "officials": [
                ("관악구 여성가족과", "여성가족과장", "이은정"),
                ("관악구 여성가족과", "여성안전팀장", "조민호"),
                ("관악구 여성가족과", "주무관", "최지현"),
            ],
            "milestones": [
                GWANAK_PLAN_MILESTONE,
                _year_plan(year, "여성안심특별구 관악 추진계획 수립", "여성가족과"),
            ],
            "rules": all_of(IN_GWANAK, WOMAN, ALONE),
        },
        {
            "slug": "gwanak-safe-way-home",
            "title": "안심귀갓길·안심귀가 스카우트",
            "title_en": "Safe Way Home and Walk-home Scouts",
            "summary": "늦은 밤 귀가하는 주민을 안심귀가 스카우트가 집 앞까지 동행하고, 안심귀갓길에 "
            "CCTV·비상벨·로고젝터를 운영합니다.",
            "summary_en": "Walk-home scouts accompany residents to their door late at night, and designated "
            "safe routes home have CCTV, emergency bells and logo lights.",
            "category": "safety",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "for_women": True,
            "benefit_type": "service",
            "target_text": "늦은 시간 귀가하는 관악구 주민 누구나(여성·청소년 우선)",
            "target_text_en": "Anyone in Gwanak-gu walking home late at night (women and teenagers first).",
            "benefit_text": "안심귀가 스카우트 2인 1조 귀가 동행(평일 22시~다음날 1시), 안심귀갓길 "
            "안내 및 위험 구간 신고 접수",
            "benefit_text_en": "Two scouts walk you home (weekdays 22:00–01:00); information on safe routes "
            "and reports of unsafe spots.",
            "selection_text": "신청 순(도착 30분 전까지 신청)",
            **always,
            "how_to_apply": "120 다산콜센터 또는 관악구 안심귀가 상황실에 전화, 이 포털에서 예약",
            "department": "관악구 여성가족과 여성안전팀",
            "contact": "02-879-6532",
            "legal_basis": "서울특별시 관악구 여성폭력 방지 및 피해자 지원 조례",
            "selection_method": "first_come",
            "city": SEOUL,
            "district": GWANAK,
            "officials": [
                ("관악구 여성가족과", "여성안전팀장", "조민호"),
                ("관악구 여성가족과", "주무관", "최지현"),
            ],
            "milestones": [_year_plan(year, "안심귀가 스카우트 대원 선발 및 안심귀갓길 정비", "여성가족과")],
            "rules": None,
        },
        {
            "slug": "gwanak-hidden-camera-check-kit",
            "title": "불법촬영 카메라 자가점검 장비 대여",
            "title_en": "Hidden Camera Self-check Kit Rental",
            "summary": "전국 최초로 시작한 서비스로, 집·점포에 숨겨진 불법촬영 카메라를 직접 찾아볼 수 있는 "
            "탐지 장비를 무료로 빌려드립니다.",
            "summary_en": "The first service of its kind in the country: borrow, for free, a detector to "
            "check your home or shop for hidden cameras yourself.",
            "category": "safety",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "for_women": True,
            "benefit_type": "service",
            "target_text": "관악구에 거주하거나 관악구에서 점포를 운영하는 사람",
            "target_text_en": "People who live, or run a shop, in Gwanak-gu.",
            "benefit_text": "전파·렌즈 탐지형 점검 장비 무료 대여(최대 3일), 사용법 안내, 의심 기기 발견 시 "
            "경찰 연계",
            "benefit_text_en": "Free loan of a radio and lens detector for up to 3 days, with instructions; "
            "if you find a suspicious device we put you in touch with the police.",
            "selection_text": "대여 가능 장비 범위 내 신청 순",
            **always,
            "how_to_apply": "이 포털에서 예약 후 동 주민센터에서 수령·반납",
            "required_documents": "신분증(수령 시)",
            "department": "관악구 여성가족과 여성안전팀",
            "contact": "02-879-6533",
            "legal_basis": "서울특별시 관악구 여성폭력 방지 및 피해자 지원 조례",
            "capacity": 40,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": GWANAK,
            "officials": [
                ("관악구 여성가족과", "여성안전팀장", "조민호"),
                ("관악구 여성가족과", "주무관", "최지현"),
            ],
            "milestones": [
                (
                    date(2022, 1, 1),
                    date(2022, 12, 31),
                    "행정안전부 '2022 주민생활 혁신사례 확산 지원사업' 우수사례 선정(불법촬영 카메라 "
                    "자가점검 장비 대여, 여성 1인 점포 안심벨)",
                    "여성가족과",
                ),
            ],
            "rules": all_of(IN_GWANAK),
        },
        {
            "slug": "gwanak-women-store-safety-bell",
            "title": "여성 1인 점포 안심벨 설치",
            "title_en": "Safety Bells for Shops Run by a Woman Alone",
            "summary": "혼자 점포를 운영하는 여성에게 누르면 경찰에 바로 신고되는 안심벨을 무료로 "
            "설치해 드립니다.",
            "summary_en": "Free installation of a safety bell that alerts the police at once, for women who "
            "run a shop on their own.",
            "category": "safety",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "for_women": True,
            "benefit_type": "in_kind",
            "target_text": "관악구에 거주하며 관악구에서 혼자 점포를 운영하는 여성",
            "target_text_en": "Women living in Gwanak-gu who run a shop in Gwanak-gu on their own.",
            "benefit_text": "112 긴급신고 연동 안심벨 설치 및 1년간 통신비 지원",
            "benefit_text_en": "A safety bell linked to the 112 police emergency line, with a year of "
            "connection fees paid.",
            "selection_text": "점포 운영 형태(1인 운영)와 심야 영업 여부를 확인하여 선정",
            **whole_year,
            "how_to_apply": "이 포털에서 신청 후 설치 일정 조율",
            "required_documents": "사업자등록증 사본",
            "department": "관악구 여성가족과 여성안전팀",
            "contact": "02-879-6534",
            "legal_basis": "서울특별시 관악구 여성폭력 방지 및 피해자 지원 조례",
            "capacity": 100,
            "selection_method": "review",
            "city": SEOUL,
            "district": GWANAK,
            "officials": [
                ("관악구 여성가족과", "여성안전팀장", "조민호"),
                ("관악구 여성가족과", "주무관", "최지현"),
            ],
            "milestones": [
                (
                    date(2022, 1, 1),
                    date(2022, 12, 31),
                    "행정안전부 '2022 주민생활 혁신사례 확산 지원사업' 우수사례 선정",
                    "여성가족과",
                ),
            ],
            "rules": all_of(IN_GWANAK, WOMAN),
        },
        {
            "slug": "yeongdeungpo-safe-home-set",
            "title": "영등포구 안심홈 지원(안심홈세트)",
            "title_en": "Yeongdeungpo-gu Safe Home Support (Safe Home Set)",
            "summary": "여성 1인가구, 여성이 있는 법정 한부모가정, 범죄피해자(남성 포함)에게 방범용품을 "
            "무료로 "
            "설치·제공합니다.",
            "summary_en": "Free crime-prevention equipment, installed for women living alone, legally "
            "recognised single-parent households with a woman, and crime victims of any gender.",
            "category": "safety",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "for_women": True,
            "benefit_type": "in_kind",
            "target_text": "영등포구에 거주하는 ① 여성 1인가구 ② 법정 한부모가정(여성 구성원이 있을 경우) "
            "③ 범죄피해자(남성 가능) 중 하나에 해당하는 사람",
            "target_text_en": "Residents of Yeongdeungpo-gu who are (1) a woman living alone, (2) a legally "
            "recognised single-parent household with a woman in it, or (3) a victim of a crime (men "
            "included).",
            "benefit_text": "방범용품 무료 설치 및 제공: 현관문 이중잠금장치, 휴대용 긴급벨, 창문잠금장치, "
            "스마트 안전센서 등",
            "benefit_text_en": "Crime-prevention equipment supplied and installed free: double door lock, "
            "portable emergency bell, window locks, smart safety sensor and the like.",
            "selection_text": "대상 요건 확인 후 재고 범위 내 신청 순(범죄피해자 우선)",
            **whole_year,
            "how_to_apply": "이 포털에서 신청하거나 거주지 동 주민센터 방문 신청",
            "required_documents": "한부모가족증명서(해당자), 범죄피해 사실 확인 서류(해당자)",
            "department": "영등포구 여성가족과 여성정책팀",
            "contact": "02-2670-3381",
            "legal_basis": "서울특별시 영등포구 1인가구 지원 조례",
            "capacity": 300,
            "selection_method": "review",
            "city": SEOUL,
            "district": YEONGDEUNGPO,
            "officials": [
                ("영등포구 여성가족과", "여성가족과장", "권미경"),
                ("영등포구 여성가족과", "주무관", "장수빈"),
            ],
            "milestones": [
                _year_plan(
                    year,
                    "안심홈 지원사업 추진계획 수립(지원 대상: 여성 1인가구, 한부모가정, 범죄피해자)",
                    "여성가족과",
                )
            ],
            "rules": all_of(
                IN_YEONGDEUNGPO,
                any_of(
                    all_of(WOMAN, ALONE, label="여성 1인가구"),
                    all_of(
                        rule(
                            "single_parent",
                            "is_true",
                            ko="법정 한부모가정",
                            en="A legally recognised single-parent household",
                        ),
                        rule(
                            "gender",
                            "eq",
                            "female",
                            ko="여성 구성원(신청인이 여성)",
                            en="With a woman in it (the applicant is a woman)",
                        ),
                        label="여성이 있는 법정 한부모가정",
                    ),
                    rule(
                        "crime_victim",
                        "is_true",
                        ko="범죄피해자(남성 가능)",
                        en="A victim of a crime (any gender)",
                    ),
                    label="다음 중 하나에 해당",
                ),
            ),
        },
        {
            "slug": "daegu-safe-home",
            "title": "대구광역시 세이프-홈 지원사업",
            "title_en": "Daegu Safe-Home Support",
            "summary": "대구 자치경찰위원회가 대구경찰청, 구·군과 협력해 범죄에 취약한 가구에 스마트 초인종, "
            "문열림 센서, 가정용 CCTV 등 안심홈 세트를 지원합니다.",
            "summary_en": "Daegu's autonomous police committee, with the Daegu Metropolitan Police Agency "
            "and "
            "the districts, gives households at risk of crime a safe-home set: smart doorbell, door-open "
            "sensor, home CCTV and more.",
            "category": "safety",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "for_women": True,
            "benefit_type": "in_kind",
            "target_text": "대구광역시에 거주하는 범죄 취약 가구(1인가구, 범죄피해 가구 등). 구·군별 "
            "지역 여건에 맞춰 대상을 정함",
            "target_text_en": "Households in Daegu at risk of crime (people living alone, households that "
            "have suffered a crime, and others), as each district decides for its area.",
            "benefit_text": "세이프-홈 안심홈 세트(스마트 초인종, 문열림 센서, 가정용 CCTV 등) 중 지역 "
            "요구에 "
            "맞춘 맞춤형 지원 및 설치",
            "benefit_text_en": "A safe-home set chosen for local needs (smart doorbell, door-open sensor, "
            "home CCTV, etc.), installed for you.",
            "selection_text": "관할 경찰서의 범죄 취약도 진단과 구·군 추천을 거쳐 선정",
            **whole_year,
            "how_to_apply": "이 포털에서 신청하거나 거주지 구·군청 또는 관할 경찰서에 신청",
            "required_documents": "주민등록등본, 범죄피해 사실 확인 서류(해당자)",
            "department": "대구광역시 자치경찰위원회 자치경찰정책과",
            "contact": "053-803-7134",
            "legal_basis": "경찰법(국가경찰과 자치경찰의 조직 및 운영에 관한 법률), 대구광역시 자치경찰사무 "
            "및 자치경찰위원회 조직 운영 등에 관한 조례",
            "capacity": 1000,
            "selection_method": "review",
            "city": DAEGU,
            "district": None,
            "officials": [
                ("대구광역시 자치경찰위원회", "자치경찰정책과장", "서동훈"),
                ("대구광역시 자치경찰위원회", "주무관", "임채원"),
            ],
            "milestones": [
                (date(2021, 7, 1), date(2021, 7, 31), "대구광역시 자치경찰위원회 출범", ""),
                _year_plan(year, "세이프-홈 지원사업 추진계획 수립(대구경찰청·구·군 협업)", "자치경찰정책과"),
            ],
            "rules": all_of(
                IN_DAEGU,
                any_of(
                    ALONE,
                    rule(
                        "crime_victim", "is_true", ko="범죄피해 가구", en="A household that suffered a crime"
                    ),
                    label="범죄 취약 가구",
                ),
            ),
        },
        {
            "slug": "seoul-safety-door-guard",
            "title": "1인가구 안전도어 지킴이",
            "title_en": "Safety Door Guard for People Living Alone",
            "summary": "도어카메라와 긴급출동서비스를 결합한 가정용 보안서비스를 저렴한 가격으로 제공합니다.",
            "summary_en": "A home security service combining a door camera with an emergency call-out, at a "
            "low price.",
            "category": "safety",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "for_women": True,
            "benefit_type": "service",
            "target_text": "서울시에 거주하는 1인가구(주거침입 등 범죄 대응이 어려운 가구 우선)",
            "target_text_en": "People living alone in Seoul (those least able to respond to burglary and "
            "similar crimes first).",
            "benefit_text": "도어카메라 설치 및 보안서비스 이용료 지원(본인 부담 월 1만 원 내외): 실시간 "
            "영상 확인, 양방향 음성대화, 동작감지 알림, 긴급출동 요청",
            "benefit_text_en": "A door camera installed and the security service subsidised (you pay about "
            "10,000 won a month): live video, two-way voice, motion alerts and an emergency call-out.",
            "selection_text": "신청 순(예산 범위 내)",
            "application_start": date(year, 4, 1),
            "application_end": date(year, 9, 30),
            "period_note": f"{year}. 4. 1. ~ {year}. 9. 30.",
            "how_to_apply": "이 포털에서 신청 후 보안업체 설치 방문",
            "required_documents": "",
            "department": "서울특별시 1인가구담당관",
            "contact": "120 다산콜센터",
            "legal_basis": SEOUL_LAW,
            "capacity": 2000,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": None,
            "officials": [
                ("서울특별시 1인가구담당관", "1인가구담당관", "유정민"),
                ("서울특별시 1인가구담당관", "주무관", "신가은"),
            ],
            "milestones": [
                _year_plan(year, "1인가구 안전도어 지킴이 보안업체 선정 및 모집 계획 수립", "1인가구담당관")
            ],
            "rules": all_of(IN_SEOUL, ALONE),
        },
        {
            "slug": "seoul-women-safe-parcel",
            "title": "여성안심택배(무인택배함)",
            "title_en": "Safe Parcel Lockers",
            "summary": "택배를 무인택배함으로 받아 낯선 사람과 마주치지 않고 안전하게 찾아가세요. 48시간까지 "
            "무료입니다.",
            "summary_en": "Have parcels delivered to a locker and collect them safely without meeting "
            "strangers. Free for the first 48 hours.",
            "category": "safety",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "for_women": True,
            "benefit_type": "service",
            "target_text": "서울시민 누구나(여성 1인가구 우선 설치 지역 운영)",
            "target_text_en": "Anyone in Seoul (lockers are placed first where many women live alone).",
            "benefit_text": "물품 수령 장소(무인택배함) 주소로 배송하면 수령자에게 배송일시와 인증번호가 "
            "문자로 전송되고, 인증번호로 찾아갑니다. 48시간 무료, 이후 1일 1,000원",
            "benefit_text_en": "Ship to the locker's address; you receive a text with the delivery time and "
            "a code, and collect the parcel with the code. Free for 48 hours, then 1,000 won a day.",
            "selection_text": "",
            **always,
            "how_to_apply": "온라인 쇼핑 시 배송지를 가까운 무인택배함 주소로 입력(이 포털에서 위치 확인)",
            "department": "서울특별시 1인가구담당관",
            "contact": "120 다산콜센터",
            "legal_basis": SEOUL_LAW,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": None,
            "officials": [
                ("서울특별시 1인가구담당관", "1인가구담당관", "유정민"),
                ("서울특별시 1인가구담당관", "주무관", "신가은"),
            ],
            "milestones": [
                (date(2013, 1, 1), date(2013, 12, 31), "여성안심택배(무인택배함) 서비스 도입", ""),
                _year_plan(year, "무인택배함 설치 지역 조정 및 운영계획 수립", "1인가구담당관"),
            ],
            "rules": None,
        },
        {
            "slug": "gwanak-autonomous-safe-patrol",
            "title": "자율주행 기반 안심순찰 서비스 주민 모니터링단",
            "title_en": "Autonomous Safe Patrol Service: Resident Monitoring Group",
            "summary": "전국 최초 도심형 '자율주행 기반 안심순찰 서비스'의 순찰 경로와 효과를 함께 점검할 "
            "주민 모니터링단을 모집했습니다.",
            "summary_en": "Recruited residents to review the routes and results of the country's first "
            "urban autonomous-driving safe patrol service.",
            "category": "safety",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "for_women": True,
            "benefit_type": "service",
            "target_text": "1인가구 밀집 지역(신림동·대학동 등)에 거주하는 관악구 주민",
            "target_text_en": "Gwanak-gu residents of areas where many people live alone (Sillim-dong, "
            "Daehak-dong, etc.).",
            "benefit_text": "순찰 경로 의견 제출, 모니터링 활동비(회당 2만 원) 지급",
            "benefit_text_en": "Give feedback on the patrol routes; 20,000 won per monitoring session.",
            "selection_text": "거주 지역과 활동 계획을 심사하여 선정",
            "application_start": date(last_year, 6, 1),
            "application_end": date(last_year, 6, 30),
            "period_note": f"{last_year}. 6. 1. ~ {last_year}. 6. 30. (모집 마감)",
            "how_to_apply": "모집이 마감되었습니다.",
            "department": "관악구 안전도시과 안전정책팀",
            "contact": "02-879-5731",
            "legal_basis": GWANAK_LAW,
            "capacity": 30,
            "selection_method": "review",
            "status": "closed",
            "city": SEOUL,
            "district": GWANAK,
            "officials": [("관악구 안전도시과", "안전정책팀장", "배성진")],
            "milestones": [
                (date(last_year, 6, 1), date(last_year, 6, 30), "주민 모니터링단 모집", "안전도시과")
            ],
            "rules": all_of(IN_GWANAK),
        },
        # =============================== 건강·돌봄 (health & care) ===============================
        {
            "slug": "gwanak-one-meal-sharing",
            "title": "청년 소상공인 한끼 나눔 지역상생사업",
            "title_en": "One-Meal Sharing with Young Small Businesses",
            "summary": "관내 청년 소상공인 음식점이 만든 한끼를 경제적으로 어려운 1인가구와 청년 "
            "배달노동자에게 "
            "나눠, 청년 일자리와 이웃 관계망을 함께 키웁니다.",
            "summary_en": "Meals made by young local restaurant owners go to struggling people living alone "
            "and young delivery workers, creating jobs for young people and ties between neighbours.",
            "category": "health_care",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "voucher",
            "target_text": "관악구에 거주하는 1인가구로 기준중위소득 100% 이하인 사람(경제적 취약 청년 "
            "배달노동자 포함)",
            "target_text_en": "People living alone in Gwanak-gu with an income of at most 100% of the "
            "standard median income (including young delivery workers on low incomes).",
            "benefit_text": "관내 청년 소상공인 음식점에서 쓰는 한끼 식사권(월 4매, 1매 1만 원 상당)",
            "benefit_text_en": "Meal vouchers for young small-business restaurants in Gwanak-gu (4 a month, "
            "each worth about 10,000 won).",
            "selection_text": "소득 기준 확인 후 예산 범위 내 선정",
            **whole_year,
            "how_to_apply": "이 포털에서 신청하거나 동 주민센터 방문 신청",
            "required_documents": "소득 확인 서류(건강보험료 납부확인서 등)",
            "department": "관악구 일자리정책과 청년정책팀",
            "contact": "02-879-5621",
            "legal_basis": GWANAK_LAW,
            "capacity": 1000,
            "selection_method": "review",
            "city": SEOUL,
            "district": GWANAK,
            "officials": [
                ("관악구 일자리정책과", "청년정책팀장", "송하늘"),
                ("관악구 일자리정책과", "주무관", "이다은"),
            ],
            "milestones": [
                GWANAK_PLAN_MILESTONE,
                _year_plan(year, "한끼 나눔 참여 청년 소상공인 모집 및 식사권 배부 계획 수립"),
            ],
            "rules": all_of(IN_GWANAK, ALONE, income_at_most(100)),
        },
        {
            "slug": "gwanak-lonely-death-prevention",
            "title": "고독사 예방 안부확인 서비스",
            "title_en": "Wellbeing Check-ins to Prevent Lonely Deaths",
            "summary": "사회적 고립 위험이 있는 중장년·어르신 1인가구에 정기 안부전화와 방문, 스마트 "
            "돌봄기기로 안부를 확인합니다.",
            "summary_en": "Regular calls, home visits and smart care devices to check on middle-aged and "
            "older people living alone who risk isolation.",
            "category": "health_care",
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "관악구에 거주하는 만 50세 이상 1인가구(사회적 고립 위험 가구 우선)",
            "target_text_en": "People aged 50 or over living alone in Gwanak-gu (those at risk of isolation "
            "first).",
            "benefit_text": "주 1회 안부전화, 월 1회 방문, 스마트플러그(전력 사용 감지) 설치, 위기 시 "
            "복지서비스 연계",
            "benefit_text_en": "A weekly phone call, a monthly visit, a smart plug that notices when no "
            "power is used, and referral to welfare services in a crisis.",
            "selection_text": "동 주민센터 방문 상담으로 고립 위험도를 확인하여 선정",
            **always,
            "how_to_apply": "이 포털 또는 동 주민센터 방문·전화 신청(이웃·지인 추천 가능)",
            "department": "관악구 복지정책과 희망복지팀",
            "contact": "02-879-5911",
            "legal_basis": "고독사 예방 및 관리에 관한 법률, " + GWANAK_LAW,
            "selection_method": "review",
            "city": SEOUL,
            "district": GWANAK,
            "officials": [
                ("관악구 복지정책과", "희망복지팀장", "윤재석"),
                ("관악구 복지정책과", "주무관", "한소라"),
            ],
            "milestones": [_year_plan(year, "고독사 예방 안부확인 대상자 일제조사 계획 수립", "복지정책과")],
            "rules": all_of(
                IN_GWANAK,
                ALONE,
                rule("age", "gte", 50, ko="만 50세 이상", en="Aged 50 or over"),
            ),
        },
        {
            "slug": "seoul-hospital-companion",
            "title": "1인가구 병원 안심동행 서비스",
            "title_en": "Hospital Companion Service",
            "summary": "혼자 병원에 가기 어려울 때 동행매니저가 집에서부터 진료·수납·약 수령·귀가까지 "
            "함께합니다.",
            "summary_en": "When it is hard to go to hospital alone, a companion goes with you from your door "
            "through the consultation, payment and pharmacy, and back home.",
            "category": "health_care",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "병원 동행이 필요한 서울시민 누구나(1인가구 우선)",
            "target_text_en": "Anyone in Seoul who needs someone to go to hospital with them (people living "
            "alone first).",
            "benefit_text": "동행매니저의 병원 동행(출발~귀가). 이용요금 시간당 5,000원, 기준중위소득 100% "
            "이하는 무료",
            "benefit_text_en": "A companion from departure to return home. 5,000 won an hour; free for "
            "incomes of at most 100% of the standard median income.",
            "selection_text": "예약 순(이용 3일 전까지 예약)",
            **always,
            "how_to_apply": "이 포털 또는 전화로 예약",
            "department": "서울특별시 1인가구담당관",
            "contact": "120 다산콜센터",
            "legal_basis": SEOUL_LAW,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": None,
            "officials": [
                ("서울특별시 1인가구담당관", "1인가구담당관", "유정민"),
                ("서울특별시 1인가구담당관", "주무관", "배하린"),
            ],
            "milestones": [
                (date(2021, 1, 1), date(2021, 12, 31), "1인가구 병원 안심동행 서비스 시작", ""),
                _year_plan(year, "동행매니저 운영기관 선정", "1인가구담당관"),
            ],
            "rules": all_of(IN_SEOUL),
        },
        {
            "slug": "gwanak-middle-aged-health",
            "title": "중장년 1인가구 건강관리 프로그램",
            "title_en": "Health Care for Middle-aged People Living Alone",
            "summary": "보건소가 중장년 1인가구의 만성질환 위험을 검사하고 6개월간 운동·영양·절주 "
            "관리를 돕습니다.",
            "summary_en": "The public health centre screens middle-aged people living alone for chronic "
            "disease risks and coaches them on exercise, diet and drinking for six months.",
            "category": "health_care",
            "for_middle_aged": True,
            "benefit_type": "service",
            "target_text": "관악구에 거주하는 만 40~64세 1인가구",
            "target_text_en": "People aged 40–64 living alone in Gwanak-gu.",
            "benefit_text": "대사증후군 검사, 1:1 건강상담, 6개월 운동·영양 코칭, 모바일 헬스케어 연계",
            "benefit_text_en": "Metabolic syndrome screening, one-to-one health advice, six months of "
            "exercise and nutrition coaching, and a mobile health-care app.",
            "selection_text": "선착순",
            **whole_year,
            "how_to_apply": "이 포털에서 신청 후 관악구보건소 방문",
            "required_documents": "신분증",
            "department": "관악구보건소 건강증진과",
            "contact": "02-879-7151",
            "legal_basis": "국민건강증진법, " + GWANAK_LAW,
            "capacity": 200,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": GWANAK,
            "officials": [
                ("관악구보건소 건강증진과", "건강증진과장", "한상우"),
                ("관악구보건소 건강증진과", "주무관", "오민아"),
            ],
            "milestones": [_year_plan(year, "중장년 1인가구 건강관리 사업계획 수립", "건강증진과")],
            "rules": all_of(IN_GWANAK, MIDDLE_AGED, ALONE),
        },
        {
            "slug": "gwanak-mind-counselling",
            "title": "1인가구 맞춤형 심리상담",
            "title_en": "Counselling for People Living Alone",
            "summary": "관악구 1인가구지원센터 전용 상담실에서 전문상담사가 외로움, 스트레스, 관계의 "
            "어려움을 "
            "함께 나눕니다.",
            "summary_en": "Professional counsellors at the Gwanak-gu Single-Person Household Support "
            "Centre's "
            "own counselling rooms help with loneliness, stress and relationships.",
            "category": "health_care",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "관악구에 거주하는 1인가구",
            "target_text_en": "People living alone in Gwanak-gu.",
            "benefit_text": "심리검사 및 1:1 개인상담 최대 8회 무료, 필요시 정신건강복지센터 연계",
            "benefit_text_en": "Psychological assessment and up to 8 free one-to-one sessions, with referral "
            "to the mental health welfare centre if needed.",
            "selection_text": "신청 순(위기 상황은 우선 배정)",
            **always,
            "how_to_apply": "이 포털 또는 1인가구지원센터 전화 신청",
            "department": "관악구 가족센터 1인가구지원센터",
            "contact": "02-879-5591",
            "legal_basis": GWANAK_LAW,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": GWANAK,
            "officials": _gwanak_officials(),
            "milestones": [
                GWANAK_PLAN_MILESTONE,
                (
                    date(2022, 1, 1),
                    date(2022, 12, 31),
                    "관악구 가족센터 리모델링으로 1인가구 전용 공간 및 상담실 조성, 1인가구지원센터 기능 "
                    "강화",
                    "1인가구지원팀",
                ),
            ],
            "rules": all_of(IN_GWANAK, ALONE),
        },
        {
            "slug": "gwanak-senior-side-dish",
            "title": "어르신 1인가구 밑반찬 배달",
            "title_en": "Side-dish Delivery for Older People Living Alone",
            "summary": "식사 준비가 어려운 어르신 1인가구에 주 1회 밑반찬을 배달하며 안부도 살핍니다.",
            "summary_en": "A weekly delivery of side dishes, with a check on how you are, for older people "
            "living alone who find cooking hard.",
            "category": "health_care",
            "for_seniors": True,
            "benefit_type": "in_kind",
            "target_text": "관악구에 거주하는 만 65세 이상 1인가구로 기준중위소득 100% 이하인 사람",
            "target_text_en": "People aged 65 or over living alone in Gwanak-gu with an income of at most "
            "100% of the standard median income.",
            "benefit_text": "주 1회 밑반찬 3종 배달, 배달 시 안부 확인",
            "benefit_text_en": "Three side dishes delivered weekly, with a wellbeing check at the door.",
            "selection_text": "건강 상태와 소득을 고려하여 동 주민센터가 선정",
            **always,
            "how_to_apply": "동 주민센터 방문 또는 이 포털에서 신청",
            "required_documents": "소득 확인 서류",
            "department": "관악구 어르신복지과 어르신돌봄팀",
            "contact": "02-879-5981",
            "legal_basis": "노인복지법, " + GWANAK_LAW,
            "capacity": 300,
            "selection_method": "review",
            "city": SEOUL,
            "district": GWANAK,
            "officials": [
                ("관악구 어르신복지과", "어르신돌봄팀장", "최병철"),
                ("관악구 어르신복지과", "주무관", "김나래"),
            ],
            "milestones": [_year_plan(year, "어르신 밑반찬 배달 수행기관 선정", "어르신복지과")],
            "rules": all_of(IN_GWANAK, SENIOR, ALONE, income_at_most(100)),
        },
        {
            "slug": "junggu-ai-life-care",
            "title": "AI를 활용한 1인가구 생활관리 서비스(살피미 앱)",
            "title_en": "AI Daily-life Care for People Living Alone (Salpimi app)",
            "summary": "스마트폰에 '살피미' 앱을 설치하면 AI가 휴대전화 사용 패턴으로 이상 징후를 감지해 "
            "보호자와 구청에 알립니다.",
            "summary_en": "Install the Salpimi app and AI watches for unusual phone-use patterns, alerting "
            "your contacts and the district office if something seems wrong.",
            "category": "health_care",
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "서울 중구에 거주하는 만 40세 이상 1인가구",
            "target_text_en": "People aged 40 or over living alone in Jung-gu, Seoul.",
            "benefit_text": "살피미 앱 설치 및 AI 생활관리(일정 시간 휴대전화 미사용 시 보호자·담당 공무원 "
            "알림), 위기 시 방문 확인",
            "benefit_text_en": "The Salpimi app and AI monitoring (your contacts and a caseworker are "
            "alerted "
            "if the phone goes unused for a set time), and a home visit in an emergency.",
            "selection_text": "신청자 전원 지원",
            **always,
            "how_to_apply": "이 포털에서 신청하면 담당자가 앱 설치를 도와드립니다",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6324",
            "legal_basis": JUNGGU_LAW,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": all_of(
                IN_JUNGGU,
                ALONE,
                rule("age", "gte", 40, ko="만 40세 이상", en="Aged 40 or over"),
            ),
            **JUNGGU_RECORD,
        },
        {
            "slug": "gwangju-seogu-youth-caregiver-allowance",
            "title": "청년 가족돌봄 수당",
            "title_en": "Youth Family Caregiver Allowance",
            "summary": "아픈 가족을 돌보는 청년에게 연 300만 원의 돌봄 수당을 지급합니다. 서구가 전국 "
            "최초로 조례를 만들었고 정부 시범사업으로 채택되었습니다.",
            "summary_en": "An allowance of 3 million won a year for young people caring for a family member. "
            "Seo-gu was the first in the country to pass an ordinance for it, and the government adopted it "
            "as a pilot.",
            "category": "health_care",
            "for_youth": True,
            "benefit_type": "cash",
            "target_text": "광주광역시 서구에 거주하며 장애·질병 등으로 돌봄이 필요한 가족을 돌보는 만 "
            "13~34세 청년으로 가구 소득이 기준중위소득 100% 이하인 사람",
            "target_text_en": "Young people aged 13–34 living in Seo-gu, Gwangju, who care for a family "
            "member with a disability or illness, in a household earning at most 100% of the standard "
            "median income.",
            "benefit_text": "연 300만 원(분기별 75만 원 지급), 돌봄 상담 및 자기돌봄 프로그램 연계",
            "benefit_text_en": "3 million won a year (750,000 won each quarter), plus advice on caring and "
            "self-care programmes.",
            "selection_text": "돌봄 실태 조사와 소득 확인 후 사례회의를 거쳐 선정",
            **whole_year,
            "how_to_apply": "이 포털 또는 거주지 동 행정복지센터 방문 신청",
            "required_documents": "돌봄 대상 가족의 진단서 또는 장애인 증명서, 가족관계증명서",
            "department": "광주광역시 서구 복지정책과 희망복지팀",
            "contact": "062-360-7691",
            "legal_basis": "광주광역시 서구 청년 가족돌봄 수당 지원 조례",
            "capacity": 50,
            "selection_method": "review",
            "city": GWANGJU,
            "district": GWANGJU_SEOGU,
            "officials": [
                ("광주광역시 서구 복지정책과", "복지정책과장", "노현숙"),
                ("광주광역시 서구 복지정책과", "주무관", "정우진"),
            ],
            "milestones": [_year_plan(year, "청년 가족돌봄 수당 지급 계획 수립", "복지정책과")],
            "rules": all_of(
                IN_GWANGJU_SEOGU,
                rule("age", "between", [13, 34], ko="만 13세 이상 34세 이하", en="Aged 13 to 34"),
                income_at_most(100),
            ),
        },
        # ============================ 사회적 관계망 (social connection) ============================
        {
            "slug": "gwanak-youth-community-class",
            "title": "청년 1인가구 커뮤니티 클래스(소모임)",
            "title_en": "Community Classes for Young People Living Alone",
            "summary": "요리, 운동, 공예 등 관심사가 같은 이웃 청년들과 소모임을 만들고 활동비를 "
            "지원받습니다.",
            "summary_en": "Join small groups of young neighbours who share your interests — cooking, sport, "
            "crafts — with activity costs paid.",
            "category": "social",
            "for_youth": True,
            "benefit_type": "service",
            "target_text": "관악구에 거주하는 만 19~39세 1인가구(관악구 1인가구의 62.4%가 청년)",
            "target_text_en": "People aged 19–39 living alone in Gwanak-gu (62.4% of people living alone in "
            "Gwanak-gu are young).",
            "benefit_text": "커뮤니티 클래스(8주 과정) 무료 참여, 소모임 활동비 팀당 최대 50만 원",
            "benefit_text_en": "Free eight-week community classes and up to 500,000 won per group for "
            "activities.",
            "selection_text": "선착순(클래스별 12명)",
            "application_start": date(year, 3, 1),
            "application_end": date(year, 11, 30),
            "period_note": f"{year}. 3. 1. ~ {year}. 11. 30. (기수별 모집)",
            "how_to_apply": "이 포털에서 클래스를 골라 신청",
            "department": GWANAK_TEAM,
            "contact": "02-879-5592",
            "legal_basis": GWANAK_LAW,
            "capacity": 120,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": GWANAK,
            "officials": _gwanak_officials(),
            "milestones": [
                GWANAK_PLAN_MILESTONE,
                _year_plan(year, "1인가구 지원 시행계획 수립(청년 커뮤니티 클래스 확대)", "1인가구지원팀"),
            ],
            "rules": all_of(IN_GWANAK, YOUTH, ALONE),
        },
        {
            "slug": "gwanak-happy-companionship",
            "title": "중장년 1인가구 '행복동행'",
            "title_en": "'Happy Companionship' for Middle-aged People Living Alone",
            "summary": "사회적 단절과 고립 위험이 큰 중장년 1인가구에 실질적인 역량강화 프로그램과 "
            "사회관계망 "
            "형성 기회를 제공합니다.",
            "summary_en": "Practical capacity-building programmes and chances to build social networks for "
            "middle-aged people living alone, who face a higher risk of disconnection and isolation.",
            "category": "social",
            "for_middle_aged": True,
            "benefit_type": "service",
            "target_text": "관악구에 거주하는 만 40~64세 1인가구",
            "target_text_en": "People aged 40–64 living alone in Gwanak-gu.",
            "benefit_text": "생활요리·건강·재무 등 역량강화 교육, 자조모임, 나들이·문화 활동(연 20회)",
            "benefit_text_en": "Skills classes (everyday cooking, health, money), self-help groups, outings "
            "and cultural activities (20 a year).",
            "selection_text": "고립 위험도와 참여 의지를 고려하여 선정",
            **whole_year,
            "how_to_apply": "이 포털 또는 동 주민센터에서 신청",
            "department": GWANAK_TEAM,
            "contact": "02-879-5593",
            "legal_basis": GWANAK_LAW,
            "capacity": 60,
            "selection_method": "review",
            "city": SEOUL,
            "district": GWANAK,
            "officials": _gwanak_officials(),
            "milestones": [
                (
                    date(2022, 4, 1),
                    date(2022, 4, 30),
                    "중장년 1인가구 '행복동행' 프로그램 시작",
                    "1인가구지원팀",
                ),
                _year_plan(year, "'행복동행' 참여자 모집 및 프로그램 계획 수립", "1인가구지원팀"),
            ],
            "rules": all_of(IN_GWANAK, MIDDLE_AGED, ALONE),
        },
        {
            "slug": "gwanak-support-center-leisure",
            "title": "1인가구지원센터 여가·문화 프로그램",
            "title_en": "Leisure and Culture at the Single-Person Household Support Centre",
            "summary": "1인가구지원센터 전용 공간에서 열리는 교육·여가·문화 프로그램에 참여하고 이웃을 "
            "만나세요.",
            "summary_en": "Classes, leisure and cultural programmes in the support centre's own space — a "
            "way to meet your neighbours.",
            "category": "social",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "관악구에 거주하는 1인가구 누구나",
            "target_text_en": "Anyone living alone in Gwanak-gu.",
            "benefit_text": "원데이 클래스, 영화 모임, 반려식물 키우기, 명절 함께 보내기 등 월별 프로그램",
            "benefit_text_en": "Monthly programmes: one-day classes, film club, houseplants, spending the "
            "holidays together and more.",
            "selection_text": "프로그램별 선착순",
            **always,
            "how_to_apply": "이 포털에서 프로그램 선택 후 신청",
            "department": "관악구 가족센터 1인가구지원센터",
            "contact": "02-879-5594",
            "legal_basis": GWANAK_LAW,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": GWANAK,
            "officials": _gwanak_officials(),
            "milestones": [GWANAK_PLAN_MILESTONE],
            "rules": all_of(IN_GWANAK, ALONE),
        },
        {
            "slug": "junggu-noldaga-shared-kitchen",
            "title": "1인가구 소통공간 <놀다가> 공유부엌",
            "title_en": "Noldaga Community Space: Shared Kitchen",
            "summary": "황학동 1인가구 소통공간 <놀다가>의 공유부엌에서 함께 요리하고 나누며 이웃을 "
            "사귀어요.",
            "summary_en": "Cook, share and make friends in the shared kitchen of Noldaga, the community "
            "space for people living alone in Hwanghak-dong.",
            "category": "social",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "서울 중구에 거주하는 1인가구",
            "target_text_en": "People living alone in Jung-gu, Seoul.",
            "benefit_text": "공유부엌 예약 이용(조리도구·식기 제공), 요리 소모임 재료비 지원",
            "benefit_text_en": "Book the shared kitchen (utensils and tableware provided); ingredients paid "
            "for cooking groups.",
            "selection_text": "예약 순",
            **always,
            "how_to_apply": "이 포털의 공간 예약에서 <놀다가> 공유부엌 예약",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6325",
            "legal_basis": JUNGGU_LAW,
            "capacity": 12,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": all_of(IN_JUNGGU, ALONE),
            **JUNGGU_RECORD,
        },
        {
            "slug": "junggu-happy-table",
            "title": "행복한밥상(소셜다이닝)",
            "title_en": "Happy Table Social Dining",
            "summary": "<놀다가>에서 이웃 1인가구와 함께 밥을 짓고 나누는 소셜다이닝 모임입니다.",
            "summary_en": "A social dining group at Noldaga: cook and eat together with neighbours who also "
            "live alone.",
            "category": "social",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "서울 중구에 거주하는 1인가구",
            "target_text_en": "People living alone in Jung-gu, Seoul.",
            "benefit_text": "월 2회 소셜다이닝(재료비 무료), 요리 강사 지도",
            "benefit_text_en": "Social dining twice a month (ingredients free), led by a cooking instructor.",
            "selection_text": "회차별 선착순 15명",
            **always,
            "how_to_apply": "이 포털에서 회차 선택 후 신청",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6325",
            "legal_basis": JUNGGU_LAW,
            "capacity": 15,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": all_of(IN_JUNGGU, ALONE),
            **JUNGGU_RECORD,
        },
        {
            "slug": "junggu-gardening-potluck",
            "title": "가드닝·포틀럭파티",
            "title_en": "Gardening and Potluck Parties",
            "summary": "반려식물을 함께 가꾸고 각자 음식을 가져와 나누는 <놀다가>의 상시 모임입니다.",
            "summary_en": "Noldaga's regular gatherings: grow houseplants together and share the dishes "
            "everyone brings.",
            "category": "social",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "서울 중구에 거주하는 1인가구",
            "target_text_en": "People living alone in Jung-gu, Seoul.",
            "benefit_text": "가드닝 클래스(화분·모종 제공), 월 1회 포틀럭파티",
            "benefit_text_en": "Gardening classes (pots and seedlings provided) and a monthly potluck party.",
            "selection_text": "선착순",
            **whole_year,
            "how_to_apply": "이 포털에서 신청",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6325",
            "legal_basis": JUNGGU_LAW,
            "capacity": 20,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": all_of(IN_JUNGGU, ALONE),
            **JUNGGU_RECORD,
        },
        {
            "slug": "junggu-middle-aged-cooking",
            "title": "중장년 1인가구 공유부엌 요리교실",
            "title_en": "Cooking Classes for Middle-aged People Living Alone",
            "summary": "혼자서도 건강하게 챙겨 먹을 수 있도록 <놀다가> 공유부엌에서 중장년 1인가구 "
            "요리교실을 엽니다.",
            "summary_en": "Cooking classes at Noldaga's shared kitchen so that middle-aged people living "
            "alone can eat well on their own.",
            "category": "social",
            "for_middle_aged": True,
            "benefit_type": "service",
            "target_text": "서울 중구에 거주하는 만 40~64세 1인가구",
            "target_text_en": "People aged 40–64 living alone in Jung-gu, Seoul.",
            "benefit_text": "주 1회 4주 과정 요리교실(재료비 무료), 수료 후 요리 소모임 연계",
            "benefit_text_en": "A four-week course, once a week (ingredients free), then a cooking group to "
            "join.",
            "selection_text": "선착순(기수별 10명)",
            **whole_year,
            "how_to_apply": "이 포털에서 신청",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6325",
            "legal_basis": JUNGGU_LAW,
            "capacity": 10,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": all_of(IN_JUNGGU, MIDDLE_AGED, ALONE),
            **JUNGGU_RECORD,
        },
        {
            "slug": "junggu-movie-night",
            "title": "1인가구 무비나이트",
            "title_en": "Movie Night",
            "summary": "금요일 저녁 <놀다가>에서 함께 영화를 보고 이야기를 나눕니다.",
            "summary_en": "Watch a film together at Noldaga on a Friday evening and talk about it.",
            "category": "social",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "서울 중구에 거주하는 1인가구",
            "target_text_en": "People living alone in Jung-gu, Seoul.",
            "benefit_text": "월 1회 영화 상영 및 간식 제공",
            "benefit_text_en": "A film once a month, with snacks.",
            "selection_text": "선착순 20명",
            **whole_year,
            "how_to_apply": "이 포털에서 신청",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6325",
            "legal_basis": JUNGGU_LAW,
            "capacity": 20,
            "selection_method": "first_come",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": all_of(IN_JUNGGU, ALONE),
            **JUNGGU_RECORD,
        },
        {
            "slug": "junggu-heungdangmu-market",
            "title": "흥당무마켓(1인가구 나눔장터)",
            "title_en": "Heungdangmu Market (Sharing Market)",
            "summary": "1인가구가 쓰지 않는 물건을 나누고 바꾸는 특별 나눔장터의 판매자를 모집했습니다.",
            "summary_en": "Recruited sellers for a special market where people living alone swap and share "
            "things they no longer use.",
            "category": "social",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "서울 중구에 거주하는 1인가구",
            "target_text_en": "People living alone in Jung-gu, Seoul.",
            "benefit_text": "장터 판매 부스(무료) 제공",
            "benefit_text_en": "A free stall at the market.",
            "selection_text": "선착순 30팀",
            "application_start": date(last_year, 4, 15),
            "application_end": date(last_year, 5, 5),
            "period_note": f"{last_year}. 4. 15. ~ {last_year}. 5. 5. (모집 마감)",
            "how_to_apply": "모집이 마감되었습니다.",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6325",
            "legal_basis": JUNGGU_LAW,
            "capacity": 30,
            "selection_method": "first_come",
            "status": "closed",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": all_of(IN_JUNGGU, ALONE),
            **JUNGGU_RECORD,
        },
        {
            "slug": "junggu-jeongdong-night-walk",
            "title": "1인가구와 함께하는 '미리, 정동야행'",
            "title_en": "'Preview: Jeongdong Night Walk' with People Living Alone",
            "summary": "정동야행을 앞두고 1인가구가 함께 정동 일대를 걷는 야간 탐방 참가자를 모집했습니다.",
            "summary_en": "Recruited people living alone for a guided evening walk around Jeongdong ahead "
            "of the Jeongdong Night Walk festival.",
            "category": "social",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "service",
            "target_text": "서울 중구에 거주하는 1인가구",
            "target_text_en": "People living alone in Jung-gu, Seoul.",
            "benefit_text": "해설사 동행 야간 탐방 무료 참여",
            "benefit_text_en": "A free evening walk with a guide.",
            "selection_text": "추첨 40명",
            "application_start": date(last_year, 5, 15),
            "application_end": date(last_year, 6, 2),
            "period_note": f"{last_year}. 5. 15. ~ {last_year}. 6. 2. (모집 마감)",
            "how_to_apply": "모집이 마감되었습니다.",
            "department": JUNGGU_DEPARTMENT,
            "contact": "02-3396-6325",
            "legal_basis": JUNGGU_LAW,
            "capacity": 40,
            "selection_method": "lottery",
            "status": "closed",
            "city": SEOUL,
            "district": JUNGGU,
            "rules": all_of(IN_JUNGGU, ALONE),
            **JUNGGU_RECORD,
        },
        {
            "slug": "seoul-community-building",
            "title": "서울시 마을공동체 주민제안 공모사업",
            "title_en": "Seoul Community Building Project: Resident Proposals",
            "summary": "주민이 제안부터 계획, 실행, 사후관리까지 직접 하는 마을공동체 활동을 연중 "
            "접수하여 지원합니다.",
            "summary_en": "Residents run every stage — proposal, planning, delivery and follow-up — of their "
            "own community projects; proposals are accepted all year round.",
            "category": "social",
            "for_youth": True,
            "for_middle_aged": True,
            "for_seniors": True,
            "benefit_type": "cash",
            "target_text": "공동의 문제의식과 자발적 실행 의지가 있는 서울 주민 모임(3인 이상) 누구나",
            "target_text_en": "Any group of Seoul residents (three or more) who share a concern about their "
            "community and will act on it themselves.",
            "benefit_text": "주민모임 활동 지원(마을카페, 공동육아, 에너지자립·안전마을, 마을기업, 마을축제 "
            "등)과 마을공동체 공간 조성·운영 지원, 교육·컨설팅·상담",
            "benefit_text_en": "Support for community activities (community cafés, shared childcare, energy "
            "self-sufficiency and safe villages, community businesses, local festivals) and for setting up "
            "and running community spaces, with training, consulting and counselling.",
            "selection_text": "현장 조사와 심사를 거쳐 선정(활동 지원·공간 조성 부문별)",
            **always,
            "how_to_apply": "이 포털 또는 서울시 마을공동체종합지원센터에 제안서 제출",
            "required_documents": "주민 제안서, 모임 구성원 명단, 활동 계획서",
            "department": "서울특별시 서울혁신기획관 마을공동체담당관",
            "contact": "120 다산콜센터",
            "legal_basis": "서울특별시 마을공동체 활성화 지원 등에 관한 조례",
            "selection_method": "review",
            "city": SEOUL,
            "district": None,
            "officials": [
                ("서울특별시 마을공동체담당관", "마을공동체담당관", "남궁윤"),
                ("서울특별시 마을공동체담당관", "주무관", "허지안"),
            ],
            "milestones": [
                (
                    date(2012, 3, 1),
                    date(2012, 3, 31),
                    "「서울특별시 마을공동체 활성화 지원 등에 관한 조례」 공포",
                    "",
                ),
                (
                    date(2012, 4, 1),
                    date(2012, 5, 31),
                    "마을공동체 학술 세미나(4월) 및 시민 포럼(5월) 개최",
                    "",
                ),
                (
                    date(2012, 9, 1),
                    date(2012, 9, 30),
                    "서울연구원 기초연구를 토대로 마을공동체 기본계획 발표",
                    "",
                ),
            ],
            "rules": None,
        },
    ]
    return programs

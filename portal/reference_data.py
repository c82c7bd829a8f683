"""Reference data every installation needs: cities, districts, neighbourhoods and the 기준중위소득 table.

Plain data (no Django imports), loaded by the data migrations ``portal/0002_reference_data`` and
``programs/0002_median_income`` and again, idempotently, by ``manage.py load_demo``. The loaders take an
``apps`` registry (a migration's historical one, or ``django.apps.apps``) so they never import models.

Codes are the 행정안전부 행정표준코드: two digits for a 광역자치단체, five for a 자치구/군 and ten for a
행정동 (행정기관코드). Neighbourhoods are listed for the districts the demo programs serve.
"""

from __future__ import annotations

# (code, name, English name)
CITIES: list[tuple[str, str, str]] = [
    ("11", "서울특별시", "Seoul"),
    ("27", "대구광역시", "Daegu"),
    ("29", "광주광역시", "Gwangju"),
]

# (code, city code, name, English name)
DISTRICTS: list[tuple[str, str, str, str]] = [
    # 서울특별시: all 25 자치구
    ("11110", "11", "종로구", "Jongno-gu"),
    ("11140", "11", "중구", "Jung-gu"),
    ("11170", "11", "용산구", "Yongsan-gu"),
    ("11200", "11", "성동구", "Seongdong-gu"),
    ("11215", "11", "광진구", "Gwangjin-gu"),
    ("11230", "11", "동대문구", "Dongdaemun-gu"),
    ("11260", "11", "중랑구", "Jungnang-gu"),
    ("11290", "11", "성북구", "Seongbuk-gu"),
    ("11305", "11", "강북구", "Gangbuk-gu"),
    ("11320", "11", "도봉구", "Dobong-gu"),
    ("11350", "11", "노원구", "Nowon-gu"),
    ("11380", "11", "은평구", "Eunpyeong-gu"),
    ("11410", "11", "서대문구", "Seodaemun-gu"),
    ("11440", "11", "마포구", "Mapo-gu"),
    ("11470", "11", "양천구", "Yangcheon-gu"),
    ("11500", "11", "강서구", "Gangseo-gu"),
    ("11530", "11", "구로구", "Guro-gu"),
    ("11545", "11", "금천구", "Geumcheon-gu"),
    ("11560", "11", "영등포구", "Yeongdeungpo-gu"),
    ("11590", "11", "동작구", "Dongjak-gu"),
    ("11620", "11", "관악구", "Gwanak-gu"),
    ("11650", "11", "서초구", "Seocho-gu"),
    ("11680", "11", "강남구", "Gangnam-gu"),
    ("11710", "11", "송파구", "Songpa-gu"),
    ("11740", "11", "강동구", "Gangdong-gu"),
    # 대구광역시: 7 구 and 2 군 (군위군 joined Daegu on 1 July 2023)
    ("27110", "27", "중구", "Jung-gu"),
    ("27140", "27", "동구", "Dong-gu"),
    ("27170", "27", "서구", "Seo-gu"),
    ("27200", "27", "남구", "Nam-gu"),
    ("27230", "27", "북구", "Buk-gu"),
    ("27260", "27", "수성구", "Suseong-gu"),
    ("27290", "27", "달서구", "Dalseo-gu"),
    ("27710", "27", "달성군", "Dalseong-gun"),
    ("27720", "27", "군위군", "Gunwi-gun"),
    # 광주광역시: 5 자치구
    ("29110", "29", "동구", "Dong-gu"),
    ("29140", "29", "서구", "Seo-gu"),
    ("29155", "29", "남구", "Nam-gu"),
    ("29170", "29", "북구", "Buk-gu"),
    ("29200", "29", "광산구", "Gwangsan-gu"),
]

# district code -> [(행정기관코드, name, English name)]
NEIGHBOURHOODS: dict[str, list[tuple[str, str, str]]] = {
    # 서울특별시 관악구: all 21 행정동
    "11620": [
        ("1162052500", "보라매동", "Boramae-dong"),
        ("1162054500", "청림동", "Cheongnim-dong"),
        ("1162056500", "성현동", "Seonghyeon-dong"),
        ("1162057500", "행운동", "Haengun-dong"),
        ("1162058500", "낙성대동", "Nakseongdae-dong"),
        ("1162059500", "청룡동", "Cheongnyong-dong"),
        ("1162060500", "은천동", "Euncheon-dong"),
        ("1162061500", "중앙동", "Jungang-dong"),
        ("1162062500", "인헌동", "Inheon-dong"),
        ("1162063000", "남현동", "Namhyeon-dong"),
        ("1162064500", "서원동", "Seowon-dong"),
        ("1162065500", "신원동", "Sinwon-dong"),
        ("1162066500", "서림동", "Seorim-dong"),
        ("1162068500", "신사동", "Sinsa-dong"),
        ("1162069500", "신림동", "Sillim-dong"),
        ("1162071500", "난향동", "Nanhyang-dong"),
        ("1162072500", "조원동", "Jowon-dong"),
        ("1162073500", "대학동", "Daehak-dong"),
        ("1162074500", "삼성동", "Samseong-dong"),
        ("1162076500", "미성동", "Miseong-dong"),
        ("1162077500", "난곡동", "Nangok-dong"),
    ],
    # 서울특별시 중구: all 15 행정동
    "11140": [
        ("1114052000", "소공동", "Sogong-dong"),
        ("1114054000", "회현동", "Hoehyeon-dong"),
        ("1114055000", "명동", "Myeong-dong"),
        ("1114057000", "필동", "Pil-dong"),
        ("1114058000", "장충동", "Jangchung-dong"),
        ("1114059000", "광희동", "Gwanghui-dong"),
        ("1114060500", "을지로동", "Euljiro-dong"),
        ("1114061500", "신당동", "Sindang-dong"),
        ("1114062500", "다산동", "Dasan-dong"),
        ("1114063500", "약수동", "Yaksu-dong"),
        ("1114064500", "청구동", "Cheonggu-dong"),
        ("1114065000", "신당5동", "Sindang 5-dong"),
        ("1114066500", "동화동", "Donghwa-dong"),
        ("1114067000", "황학동", "Hwanghak-dong"),
        ("1114068000", "중림동", "Jungnim-dong"),
    ],
    # 서울특별시 영등포구 (some)
    "11560": [
        ("1156051500", "영등포본동", "Yeongdeungpobon-dong"),
        ("1156053500", "영등포동", "Yeongdeungpo-dong"),
        ("1156054000", "여의동", "Yeoui-dong"),
        ("1156055000", "당산제1동", "Dangsan 1-dong"),
        ("1156058500", "도림동", "Dorim-dong"),
        ("1156060500", "문래동", "Mullae-dong"),
    ],
    # 광주광역시 서구: all 18 행정동
    "29140": [
        ("2914057500", "양동", "Yang-dong"),
        ("2914059000", "양3동", "Yang 3-dong"),
        ("2914065000", "농성1동", "Nongseong 1-dong"),
        ("2914066000", "농성2동", "Nongseong 2-dong"),
        ("2914073000", "광천동", "Gwangcheon-dong"),
        ("2914074000", "유덕동", "Yudeok-dong"),
        ("2914074500", "치평동", "Chipyeong-dong"),
        ("2914075100", "상무1동", "Sangmu 1-dong"),
        ("2914075200", "상무2동", "Sangmu 2-dong"),
        ("2914076000", "화정1동", "Hwajeong 1-dong"),
        ("2914077000", "화정2동", "Hwajeong 2-dong"),
        ("2914078000", "화정3동", "Hwajeong 3-dong"),
        ("2914079000", "화정4동", "Hwajeong 4-dong"),
        ("2914080000", "서창동", "Seochang-dong"),
        ("2914082100", "금호1동", "Geumho 1-dong"),
        ("2914082400", "금호2동", "Geumho 2-dong"),
        ("2914083000", "풍암동", "Pungam-dong"),
        ("2914084000", "동천동", "Dongcheon-dong"),
    ],
    # 대구광역시 중구: all 12 행정동
    "27110": [
        ("2711051700", "동인동", "Dongin-dong"),
        ("2711054500", "삼덕동", "Samdeok-dong"),
        ("2711056500", "성내1동", "Seongnae 1-dong"),
        ("2711057500", "성내2동", "Seongnae 2-dong"),
        ("2711058500", "성내3동", "Seongnae 3-dong"),
        ("2711059500", "대신동", "Daesin-dong"),
        ("2711064000", "남산1동", "Namsan 1-dong"),
        ("2711065000", "남산2동", "Namsan 2-dong"),
        ("2711066000", "남산3동", "Namsan 3-dong"),
        ("2711067000", "남산4동", "Namsan 4-dong"),
        ("2711068000", "대봉1동", "Daebong 1-dong"),
        ("2711069000", "대봉2동", "Daebong 2-dong"),
    ],
}

# 기준중위소득 (monthly, KRW) as published by the Ministry of Health and Welfare (중앙생활보장위원회),
# by year and household size 1–6.
MEDIAN_INCOME: dict[int, tuple[int, ...]] = {
    2024: (2_228_445, 3_682_609, 4_714_657, 5_729_913, 6_695_735, 7_618_369),
    2025: (2_392_013, 3_932_658, 5_025_353, 6_097_773, 7_108_192, 8_064_805),
    2026: (2_564_238, 4_199_292, 5_359_036, 6_494_738, 7_556_719, 8_555_952),
}


def load_reference_data(apps, schema_editor=None) -> None:
    """Create or update cities, districts and neighbourhoods by code (idempotent)."""
    City = apps.get_model("portal", "City")
    District = apps.get_model("portal", "District")
    Neighbourhood = apps.get_model("portal", "Neighbourhood")

    cities = {}
    for code, name, name_en in CITIES:
        cities[code], _created = City.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en}
        )
    districts = {}
    for code, city_code, name, name_en in DISTRICTS:
        districts[code], _created = District.objects.update_or_create(
            code=code, defaults={"city": cities[city_code], "name": name, "name_en": name_en}
        )
    for district_code, rows in NEIGHBOURHOODS.items():
        for code, name, name_en in rows:
            Neighbourhood.objects.update_or_create(
                code=code, defaults={"district": districts[district_code], "name": name, "name_en": name_en}
            )


def load_median_income(apps, schema_editor=None) -> None:
    """Create or update the 기준중위소득 rows by (year, household size) (idempotent)."""
    MedianIncome = apps.get_model("programs", "MedianIncome")
    for year, amounts in MEDIAN_INCOME.items():
        for size, amount in enumerate(amounts, start=1):
            MedianIncome.objects.update_or_create(year=year, household_size=size, defaults={"amount": amount})

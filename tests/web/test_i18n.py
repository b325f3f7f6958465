"""The web pages in English: every main page, with the language chosen through the footer's
set_language form, shows its English text and none of its Vietnamese chrome; and the English
catalogue covers every msgid the templates and web/*.py use, with the committed .mo compiled
from the .po. (Vietnamese stays the default: the other web tests assert it.)"""

import ast
import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.access.models import Role
from dangvu.planning.services import target_set
from dangvu.web import imports_views
from tests.exchange.workbooks import simple
from tests.members.pipeline import candidate_at

from .test_dashboard import admitted

D = dt.date
WEB = Path(__file__).resolve().parents[2] / "src" / "dangvu" / "web"
TEMPLATES = WEB / "templates"
CATALOGUE = WEB / "locale" / "en" / "LC_MESSAGES"


# --- the pages in English -------------------------------------------------------------------
@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("dangvu.core.clock.today", lambda: D(2024, 9, 2))


@pytest.fixture(autouse=True)
def at_once(monkeypatch):
    """The import runs in the request's thread (the test database is not shared)."""
    monkeypatch.setattr(imports_views, "run_in_background", lambda work: work())


@pytest.fixture
def world(system, tree):
    """A full member since 2010, a probationary member since January, a candidate with the
    awareness course done, an admission target for the year."""
    full = admitted(
        system, tree["office"], "Nguyễn Văn An", D(2010, 5, 1), recognised_on=D(2011, 5, 2)
    )
    probationary = admitted(system, tree["justice"], "Phạm Thị Dung", D(2024, 1, 15), sex="female")
    candidate = candidate_at("certified", tree["office"], "Lê Hoàng Phúc", sex="male")
    target_set(scope=system, organization=tree["bloc"], year=2024, indicator="admissions", value=10)
    return {"full": full, "probationary": probationary, "candidate": candidate, **tree}


def in_english(client):
    """Chooses English as a person would: the footer's form posts to set_language."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
    return client


@pytest.fixture
def admin(world, make_user, client_for):
    """An administrator of the bloc, browsing in English."""
    user = make_user("quantri", world["bloc"], Role.ADMINISTRATOR, first_name="Hoa")
    return in_english(client_for(user))


def html(client, url: str, status: int = 200, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == status, url
    return response.content.decode()


def assert_page(page: str, english: list[str], vietnamese: list[str]) -> None:
    missing = [text for text in english if text not in page]
    left = [text for text in vietnamese if text in page]
    assert not missing, f"English text missing: {missing}"
    assert not left, f"Vietnamese text left: {left}"


# the layout of every page for a logged-in user
CHROME_EN = ['<html lang="en">', ">Dashboard</a>", ">Organisations</a>", ">Members</a>",
             ">Candidates</a>", ">Reports</a>", ">Import</a>", ">Audit log</a>", "Log out",
             "Change password", "Party organisation management"]  # fmt: skip
CHROME_VI = ['<html lang="vi">', ">Tổng quan</a>", ">Tổ chức</a>", ">Đảng viên</a>",
             ">Quần chúng ưu tú</a>", ">Báo cáo</a>", ">Nhập dữ liệu</a>", ">Nhật ký</a>",
             "Đăng xuất", "Đổi mật khẩu", "Quản lý công tác tổ chức đảng", "Phạm vi:"]  # fmt: skip

# url (formatted with the world's keys), English text shown, Vietnamese text gone
PAGES = [
    ("/", ["This week's work", "Membership changes", "Year to date", "Figures up to the end of",
           "Admissions by quarter", "against the target"],
     ["Việc cần làm trong tuần", "Biến động đảng viên", "Từ đầu năm", "Số liệu đến hết ngày",
      "Kết nạp đảng viên theo quý", "so với chỉ tiêu", "Đang tải danh sách"]),
    ("/tong-quan/viec-can-lam/", ["This week's work", "Probation ending soon",
                                  "in the next 60 days", "Party badges of"],
     ["Việc cần làm trong tuần", "Sắp hết thời kỳ dự bị", "trong 60 ngày tới",
      "Huy hiệu Đảng đợt"]),
    ("/tong-quan/viec-can-lam/du-bi-sap-het/", ["Probation ending soon", "‹ Dashboard",
                                                "Nobody is on this list."],
     ["Sắp hết thời kỳ dự bị", "Không có ai trong danh sách này.", "Họ và tên"]),
    ("/to-chuc/", ["<h1>Party organisations</h1>", "Search by name or code", "Organisation name",
                   "Today"],
     ["Hệ thống tổ chức đảng", "Tìm theo tên hoặc mã", "Tên tổ chức", "Hiện nay",
      "Cây tổ chức vào ngày"]),
    ("/to-chuc/BD.DUK/", ["Details", "Established on", "History", "Restructuring", "Rename",
                          "Subordinate organisations (", "Audit log of this organisation",
                          "No executive committee on"],
     ["Thông tin", "Ngày thành lập", "Lịch sử", "Sắp xếp, kiện toàn tổ chức", "Đổi tên",
      "Tổ chức trực thuộc (", "Chưa có cấp ủy"]),
    ("/to-chuc/BD.DUK/doi-ten/", ["<h1>Rename</h1>", "New name", "Effective date",
                                  "Decision number and symbol", "Record", "Cancel"],
     ["Tên mới", "Ngày có hiệu lực", "Số, ký hiệu quyết định", "Ghi nhận", "Hủy",
      "Tổ chức mang tên mới"]),
    ("/dang-vien/", ["<h1>Member list</h1>", "Search by name, card number, citizen ID",
                     "Current members", "Year of birth", "Export to Excel", "Found <strong>2",
                     "people."],
     ["Danh sách đảng viên", "Tìm theo tên", "Đang là đảng viên", "Năm sinh", "Xuất Excel",
      "Tìm thấy", "Bỏ lọc", "Mọi độ tuổi"]),
    ("/dang-vien/{full}/", ["Party membership", "Party membership history", "Personal details",
                            "Party age 14 years 4 months", "Full member since", "Recorded at"],
     ["Đảng tịch", "Quá trình sinh hoạt đảng", "Sơ yếu lý lịch", "Tuổi đảng", "Ngày chính thức",
      "Ghi nhận lúc", "Ghi nhận bởi", "Lý lịch đảng viên"]),
    ("/dang-vien/{probationary}/thao-tac/cong-nhan-chinh-thuc/",
     ["<h1>Recognition as full member</h1>", "Check the rules", "Decision (required)",
      "End of probation", "File of Phạm Thị Dung"],
     ["Kiểm tra quy định", "Quyết định (bắt buộc)", "Hết thời kỳ dự bị", "Lý lịch của",
      "Công nhận đảng viên chính thức"]),
    ("/dang-vien/chuyen-sinh-hoat/", ["<h1>Transfers</h1>", "awaiting reception",
                                      "No member is awaiting reception."],
     ["Chuyển sinh hoạt đảng", "chờ tiếp nhận", "Không có đảng viên nào"]),
    ("/quan-chung/", ["<h1>Candidates</h1>", "Party awareness course", "Awaiting the admission",
                      "The whole scope", "Missing:", "Add a sponsor"],
     ["Lớp bồi dưỡng nhận thức về Đảng", "Chờ quyết định kết nạp", "Toàn bộ phạm vi",
      "Còn thiếu:", "Thêm người giới thiệu", "Dừng xem xét"]),
    ("/quan-chung/{candidate}/nguoi-gioi-thieu/",
     ["<h1>Add a sponsor</h1>", "Kind of sponsorship", "Sponsoring member", "‹ Candidates",
      "Added to the list</dt>", "Date of sponsorship"],
     ["Thêm người giới thiệu", "Hình thức giới thiệu", "Đảng viên giới thiệu",
      "Đưa vào danh sách</dt>", "Ngày giới thiệu"]),
    ("/bao-cao/?org=BD.DUK&year=2024&kind=quarter&quarter=1",
     ["Periodic reports", "Show the report", "Organisation code", "Reporting period",
      "The figures balance.", "Membership balance", "Download DOCX", "Same period last year"],
     ["Báo cáo sơ kết, tổng kết", "Xem báo cáo", "Mã tổ chức", "Kỳ báo cáo", "Số liệu cân đối",
      "Cân đối số lượng đảng viên", "Tải DOCX", "Cùng kỳ năm trước"]),
    ("/nhap-du-lieu/", ["Import from an Excel or CSV file", "Dry run: check everything",
                        "Upload and start", "optional"],
     ["Nhập dữ liệu từ tệp Excel, CSV", "Chạy thử", "Tải lên và bắt đầu", "không bắt buộc"]),
    ("/nhat-ky/?loai=organizations.organization&ma={bloc}",
     ["History of one object", "What one user wrote", "<h2>1 change</h2>", "<th>Time</th>",
      "<small>system</small>", "Page 1/1"],
     ["Lịch sử của một đối tượng", "Những gì một người dùng đã ghi", "thay đổi", "hệ thống",
      "Trang 1/1"]),
    ("/kiem-tra-du-lieu/", ["Data quality check", "Party organisation code", "overall score"],
     ["Kiểm tra chất lượng dữ liệu", "Mã tổ chức đảng", "điểm chung"]),
    ("/doi-mat-khau/", ["<h1>Change password</h1>"], ["Đổi mật khẩu"]),
]  # fmt: skip


@pytest.mark.parametrize(("url", "english", "vietnamese"), PAGES, ids=[p[0] for p in PAGES])
def test_every_main_page_is_in_english(world, admin, url, english, vietnamese):
    keys = {k: world[k].pk for k in ("full", "probationary", "candidate", "bloc")}
    page = html(admin, url.format(**keys))
    assert_page(page, CHROME_EN + english, CHROME_VI + vietnamese)


def test_the_pages_for_anonymous_visitors_are_in_english(world, client_for):
    client = in_english(client_for())
    assert_page(html(client, "/"), ['<html lang="en">', "Log in to start"], ["Đăng nhập"])
    login = html(client, "/dang-nhap/")
    assert_page(login, ["<h1>Log in</h1>", "Username", "Password"], ["Tên đăng nhập", "Mật khẩu"])


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(world, client_for):
    client = client_for(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert_page(html(client, "/dang-nhap/"), ['<html lang="vi">', "Tên đăng nhập"], ["Username"])
    in_english(client)
    assert_page(html(client, "/dang-nhap/"), ['<html lang="en">', "Username"], ["Tên đăng nhập"])


def test_the_rule_checks_and_form_errors_are_in_english(world, admin):
    url = f"/dang-vien/{world['probationary'].pk}/thao-tac/cong-nhan-chinh-thuc/"
    empty = admin.post(url, {"step": "check"}, HTTP_HX_REQUEST="true").content.decode()
    assert_page(
        empty,
        ["Some information is not valid",
         "Enter the decision&#x27;s number and symbol, date and issuing body."],
        ["Thông tin chưa hợp lệ", "Cần ghi đủ số và ký hiệu"],
    )  # fmt: skip
    decided = {"decision_symbol": "40-QĐ/ĐU", "decision_date": "01/09/2024",
               "decision_body": "Đảng ủy Khối", "step": "check"}  # fmt: skip
    refused = admin.post(url, decided, HTTP_HX_REQUEST="true").content.decode()
    # the rule's own message keeps its Vietnamese wording and code (out of the UI catalogue)
    assert_page(refused, ["The rules are not met", "members."], ["Không đạt quy định"])
    bad_date = admin.post(
        "/to-chuc/BD.DUK/doi-ten/", {"name": "Đảng bộ Khối", "effective_date": "31/02/2024"}
    ).content.decode()
    assert_page(
        bad_date, ["Effective date", "Not a valid date; enter it as dd/mm/yyyy."], ["Ngày không"]
    )


def test_a_saved_action_is_confirmed_in_english(world, admin):
    response = admin.post(
        "/to-chuc/BD.YT.TTR/doi-ten/",
        {"name": "Chi bộ Thanh tra", "effective_date": "01/09/2024",
         "decision_symbol": "45-QĐ/ĐUK", "decision_date": "25/08/2024",
         "decision_body": "Ban Thường vụ Đảng ủy Khối"},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert_page(page, ["Recorded: rename (Chi bộ Thanh tra Sở)."], ["Đã ghi nhận"])


def test_an_import_reports_in_english(world, admin):
    rows = [["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Chi bộ"],
            ["Lý Văn Phúc", "02/01/1980", "Nam", "052080000321", "BD.TP"]]  # fmt: skip
    upload = SimpleUploadedFile("danh-sach.xlsx", simple({"Đảng viên": rows}))
    response = admin.post("/nhap-du-lieu/", {"tep": upload, "cach": "thu"})
    assert response.status_code == 302
    page = html(admin, response.url)
    assert_page(
        page,
        ["Import: danh-sach.xlsx", "Dry run: check everything, write nothing.",
         "The sheets of the file", "Rejected rows", "headers on row 1", "Import another file"],
        ["Nhập dữ liệu:", "Các trang của tệp", "Dòng lỗi", "tiêu đề ở dòng", "Nhập tệp khác"],
    )  # fmt: skip
    missing = admin.post("/nhap-du-lieu/", {"cach": "thu"}).content.decode()
    assert_page(missing, ["Choose an Excel (.xlsx) or CSV file to import."], ["Hãy chọn tệp"])


def test_the_dashboard_charts_are_cached_per_language(world, admin, make_user, client_for):
    english = html(admin, "/")
    assert "Party members at the end of each quarter" in english
    vietnamese = html(client_for(make_user("khoi", world["bloc"], Role.EDITOR)), "/")
    assert "Số đảng viên cuối mỗi quý" in vietnamese
    assert "Party members at the end of each quarter" not in vietnamese


def test_the_audit_page_refuses_others_in_english(world, make_user, client_for):
    editor = in_english(client_for(make_user("bientap", world["bloc"], Role.EDITOR)))
    page = html(editor, "/nhat-ky/", status=403)
    assert_page(page, ["Only administrators may see the audit log."], ["Chỉ quản trị viên"])


# --- the catalogue ------------------------------------------------------------------------------
TRANSLATE = re.compile(r"""{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')[^%]*%}""")
BLOCK = re.compile(
    r"{%\s*blocktranslate(?P<options>[^%]*)%}(?P<body>.*?){%\s*endblocktranslate\s*%}", re.S
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}
NGETTEXT = {"ngettext", "ngettext_lazy"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|{\w+}")


def read_po(path: Path) -> dict:
    """msgid (or (msgid, msgid_plural)) -> msgstr (or [msgstr[0], msgstr[1]]), and the fuzzy
    msgids; a reader of the subset makemessages writes."""
    entries, fuzzy, current, field = {}, [], {}, None

    def flush():
        if "msgid" in current and current["msgid"]:
            if "msgid_plural" in current:
                key = (current["msgid"], current["msgid_plural"])
                entries[key] = [current.get("msgstr[0]", ""), current.get("msgstr[1]", "")]
            else:
                entries[current["msgid"]] = current.get("msgstr", "")
            if current.get("fuzzy"):
                fuzzy.append(current["msgid"])
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            flush()
        elif line.startswith("#,"):
            current["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            field, quoted = line.split(" ", 1)
            current[field] = ast.literal_eval(quoted)
    return {"entries": entries, "fuzzy": fuzzy}


def forms(text) -> list[str]:
    """A msgstr, or the msgstr[n] of a plural entry, as a list."""
    return [text] if isinstance(text, str) else text


def template_msgids() -> set:
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for double, single in TRANSLATE.findall(text):
            found.add(double or single)
        for block in BLOCK.finditer(text):
            assert not {"trimmed", "context"} & set(block["options"].split()), path
            variants = re.split(r"{%\s*plural\s*%}", block["body"])
            parts = [VARIABLE.sub(r"%(\1)s", v) for v in variants]  # as makemessages writes
            found.add(tuple(parts) if len(parts) == 2 else parts[0])
    return found


def python_msgids() -> set:
    found = set()
    for path in WEB.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            strings = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id in GETTEXT and strings:
                found.add(strings[-1] if node.func.id.startswith("p") else strings[0])
            elif node.func.id in NGETTEXT and len(strings) >= 2:
                found.add((strings[0], strings[1]))
    return found


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return read_po(CATALOGUE / "django.po")


def test_the_sources_are_found():
    """The extraction itself: a few msgids known to be there, of each kind."""
    templates, python = template_msgids(), python_msgids()
    assert "Danh sách đảng viên" in templates
    assert "Lý lịch của %(name)s" in templates
    assert ("%(n)s người", "%(n)s người") in templates
    assert "Kiểm tra quy định" in templates
    assert "Cần ghi {label}." in python and ("%(n)d năm", "%(n)d năm") in python
    assert len(templates) > 250 and len(python) > 200


def test_every_msgid_has_an_english_translation(catalogue):
    entries = catalogue["entries"]
    used = template_msgids() | python_msgids()
    assert sorted(map(str, used - set(entries))) == []
    untranslated = [key for key, text in entries.items() if "" in forms(text)]
    assert untranslated == []
    assert catalogue["fuzzy"] == []
    # a msgid no page uses any longer is an entry nobody maintains
    assert sorted(map(str, set(entries) - used)) == []


def test_the_translations_keep_their_placeholders_and_are_english(catalogue):
    for key, text in catalogue["entries"].items():
        sources = key if isinstance(key, tuple) else (key,)
        for target in forms(text):
            assert sorted(PLACEHOLDER.findall(target)) == sorted(PLACEHOLDER.findall(sources[0]))
            assert target not in sources, key  # copied, not translated


def test_the_committed_mo_is_the_compiled_po(catalogue):
    with (CATALOGUE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    expected = {}
    for key, text in catalogue["entries"].items():
        if isinstance(key, tuple):
            expected[(key[0], 0)], expected[(key[0], 1)] = text
        else:
            expected[key] = text
    messages = {k: v for k, v in compiled._catalog.items() if k != ""}  # "" is the header
    assert messages == expected
    assert compiled.ngettext("%(n)s người", "%(n)s người", 1) == "%(n)s person"
    assert compiled.ngettext("%(n)s người", "%(n)s người", 2) == "%(n)s people"

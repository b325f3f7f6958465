"""The reports page: pick an organisation and a period, the preview (figures, narrative,
balance) and the files, through the reports' services and the user's scope."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from dangvu.access.models import Role

from .test_dashboard import admitted

D = dt.date


@pytest.fixture
def bloc(system, tree):
    admitted(system, tree["office"], "Nguyễn Văn An", D(2010, 5, 1), recognised_on=D(2011, 5, 2))
    admitted(system, tree["justice"], "Phạm Thị Dung", D(2021, 1, 15), sex="female")
    admitted(system, tree["inspect"], "Hoàng Văn Em", D(2021, 2, 20))
    return tree


@pytest.fixture
def client(bloc, make_user, client_for):
    return client_for(make_user("khoi", bloc["bloc"], Role.APPROVER))


QUERY = "?org=BD.DUK&year=2021&kind=quarter&quarter=1"


def test_the_form_starts_with_the_scope_and_the_last_quarter(client, monkeypatch):
    monkeypatch.setattr("dangvu.core.clock.today", lambda: D(2021, 4, 9))
    page = client.get("/bao-cao/").content.decode()
    assert 'name="org" value="BD.DUK"' in page
    assert 'name="year" value="2021"' in page
    assert '<option value="1" selected>I</option>' in page
    assert 'hx-get="/bao-cao/"' in page and 'hx-indicator="#report-loading"' in page
    assert "Đang tổng hợp số liệu…" in page


def test_the_preview_shows_figures_narrative_and_balance(client):
    page = client.get(f"/bao-cao/{QUERY}").content.decode()
    assert "Đảng bộ Khối các cơ quan tỉnh – quý I năm 2021" in page
    assert "Từ 01/01/2021 đến 31/03/2021" in page
    assert '<th class="num">Quý I năm 2021</th>' in page
    assert "<strong>Số liệu cân đối.</strong> Đầu kỳ 1 + tăng − giảm = 3 = cuối kỳ 3." in page
    assert "kết nạp 02 quần chúng ưu tú vào Đảng" in page  # the narrative
    assert '<td>+ Kết nạp đảng viên</td><td class="num">2</td>' in page
    assert 'href="/bao-cao/tai/docx/?org=BD.DUK&amp;period=2021-Q1"' in page


def test_htmx_gets_the_preview_only(client):
    fragment = client.get(f"/bao-cao/{QUERY}", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "quý I năm 2021" in fragment


def test_the_files_download(client):
    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(f"/bao-cao/tai/{fmt}/?org=BD.DUK&period=2021-Q1")
        assert response.status_code == 200, fmt
        assert response.content.startswith(magic)
        assert response["Content-Disposition"] == (
            f'attachment; filename="bao-cao-BD.DUK-2021-Q1.{fmt}"'
        )
    sheet = client.get("/bao-cao/tai/xlsx/?org=BD.DUK&period=2021-Q1").content
    cells = [
        c
        for row in load_workbook(io.BytesIO(sheet)).worksheets[0].iter_rows(values_only=True)
        for c in row
    ]
    assert "Kết nạp đảng viên" in cells
    assert client.get("/bao-cao/tai/exe/?org=BD.DUK&period=2021-Q1").status_code == 404


def test_outside_the_scope_and_bad_periods_are_refused_in_vietnamese(bloc, make_user, client_for):
    client = client_for(make_user("chibo", bloc["justice"], Role.EDITOR))
    page = client.get("/bao-cao/?org=BD.DUK&year=2021&kind=year").content.decode()
    assert "Tổ chức đảng không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn." in page
    assert "<code>core.NOT_FOUND</code>" in page
    assert client.get("/bao-cao/tai/pdf/?org=BD.DUK&period=2021").status_code == 404
    bad = client.get("/bao-cao/tai/pdf/?org=BD.TP&period=2021-Q5").content.decode()
    assert "<code>statistics.INVALID_PERIOD</code>" in bad
    year = client.get("/bao-cao/?org=BD.TP&year=1800&kind=year").content.decode()
    assert "Năm" in year and "alert-error" in year

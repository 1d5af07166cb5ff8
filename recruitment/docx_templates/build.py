"""Builds the Word templates (docxtpl/Jinja tags in a .docx) that offices edit before printing:
    python -m recruitment.docx_templates.build
The generated files are committed; an office may replace them with its own layout using the same tags."""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent


def _document():
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(11)
    for section in doc.sections:
        section.top_margin = section.bottom_margin = Cm(2.2)
        section.left_margin = section.right_margin = Cm(2.0)
    return doc


def _title(doc, text):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(18)


def build_record():
    doc = _document()
    _title(doc, "发展党员工作纪实表")
    doc.add_paragraph("所在党支部:{{ branch }}    当前阶段:{{ stage }}{% if left %}(已退出:{{ left }}){% endif %}")
    info = doc.add_table(rows=3, cols=4)
    info.style = "Table Grid"
    cells = [
        ("姓名", "{{ name }}", "性别", "{{ gender }}"),
        ("出生日期", "{{ birth_date }}", "民族", "{{ ethnicity }}"),
        ("学历", "{{ education }}", "身份证号码", "{{ id_number }}"),
    ]
    for row, values in zip(info.rows, cells, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    doc.add_paragraph()
    table = doc.add_table(rows=4, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "步骤", "日期", "经办人", "记录人", "说明"), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    table.rows[1].cells[0].text = "{%tr for s in steps %}"
    for cell, text in zip(
        table.rows[2].cells,
        ("{{ s.number }}", "{{ s.name }}", "{{ s.date }}", "{{ s.done_by }}", "{{ s.recorded_by }}", "{{ s.notes }}"),
        strict=True,
    ):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph()
    doc.add_paragraph("思想汇报{% if not reports %}:无记录{% endif %}")
    reports = doc.add_table(rows=4, cols=4)
    reports.style = "Table Grid"
    for cell, text in zip(reports.rows[0].cells, ("所属季度", "提交日期", "摘要", "记录人"), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    reports.rows[1].cells[0].text = "{%tr for r in reports %}"
    for cell, text in zip(
        reports.rows[2].cells,
        ("{{ r.quarter }}", "{{ r.submitted_on }}", "{{ r.notes }}", "{{ r.recorded_by }}"),
        strict=True,
    ):
        cell.text = text
    reports.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph()
    doc.add_paragraph("党支部书记(签字):              上级党委组织部门(盖章):")
    doc.add_paragraph("制表日期:{{ printed_on }}")
    doc.save(HERE / "record.docx")


def build_publicity():
    doc = _document()
    _title(doc, "关于{{ name }}同志拟发展为中共预备党员的公示")
    doc.add_paragraph(
        "经{{ branch }}支部委员会审查、上级党委预审,拟将{{ name }}同志发展为中共预备党员。根据"
        "《中国共产党发展党员工作细则》有关规定,现将有关情况公示如下:"
    )
    doc.add_paragraph(
        "{{ name }},{{ gender }},{{ ethnicity }},{{ birth_date }}出生,{{ education }}学历{% if position %},"
        "{{ position }}{% endif %}。{{ applied_on }}递交入党申请书,{{ activist_on }}被确定为入党积极分子,"
        "{{ candidate_on }}被确定为发展对象。入党介绍人:{{ introducers }}。"
    )
    doc.add_paragraph(
        "公示时间:{{ publicity_start }}至{{ publicity_end }}。公示期间,党员和群众可通过来信、来电、来访等方式"
        "向党支部或上级党委组织部门反映情况。反映情况应实事求是,署真实姓名。"
    )
    doc.add_paragraph("联系电话:____________")
    p = doc.add_paragraph("中共{{ branch }}\n{{ printed_on }}")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(HERE / "publicity.docx")


def build_filing():
    doc = _document()
    _title(doc, "关于{{ subject }}的备案报告")
    doc.add_paragraph("{{ committee }}:")
    doc.add_paragraph(
        "根据《中国共产党发展党员工作细则》{{ article }}规定,{{ decided_by }}于{{ decided_on }}研究,"
        "{{ decision }}。现将有关情况报告如下,请予备案。"
    )
    table = doc.add_table(rows=4, cols=7)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("姓名", "性别", "出生日期", "民族", "学历", "工作岗位", "递交申请书日期"), strict=True
    ):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    table.rows[1].cells[0].text = "{%tr for p in people %}"
    for cell, text in zip(
        table.rows[2].cells,
        (
            "{{ p.name }}",
            "{{ p.gender }}",
            "{{ p.birth_date }}",
            "{{ p.ethnicity }}",
            "{{ p.education }}",
            "{{ p.position }}",
            "{{ p.applied_on }}",
        ),
        strict=True,
    ):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph()
    doc.add_paragraph("{{ details }}")
    p = doc.add_paragraph("中共{{ branch }}\n{{ printed_on }}")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(HERE / "filing.docx")


if __name__ == "__main__":
    build_record()
    build_publicity()
    build_filing()

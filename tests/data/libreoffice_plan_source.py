"""How tests/data/libreoffice_plan.xlsx was made: this workbook, saved again by LibreOffice 7
(soffice --headless --convert-to xlsx), which stored the formula in E5 with its cached value."""

import datetime as dt

import openpyxl
from openpyxl.styles import PatternFill

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Priority 1"
ws.append(["Partnership Plan 2016/17"])
ws.append(["Priority: Safeguarding Vulnerable People"])
ws.append([])
ws.append(["Strategic objective", "Actions", "Outcomes / measures", "Lead agency / officer",
           "Timescales", "RAG", "Due date"])  # fmt: skip
ws.append(["To raise awareness of Domestic abuse", "Promote Essex wide campaigns",
           "Two campaigns", "All partners", '="Q"&1&"-4"', "G", dt.date(2017, 3, 31)])  # fmt: skip
ws.append([None, "Re-introduce the J9 scheme", "Partners trained",
           "Rochford District Council – Graham Browne (GB)", "Q2", None, "31/12/2016"])  # fmt: skip
ws["F6"].fill = PatternFill("solid", fgColor="FFFFC000")
ws.merge_cells("A5:A6")
ws.append(["To reduce ASB", "Joint days of action", "", "Essex Police", "Q1-4", "Red", 42735])
wb.save("lo_src.xlsx")

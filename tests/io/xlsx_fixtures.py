"""Workbooks in the layouts councils use, built with openpyxl for the import tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import PatternFill

HEADER_000 = [
    "Strategic Objective",
    "Actions",
    "Outcomes / Measures",
    "Lead Agency/ Officer",
    "Timescales / Updates",
]


def fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def seed_000_layout(path: Path) -> Path:
    """Seed 000: title rows, "Priority" + title rows, objective merged down, header repeated."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Castle Point and Rochford Community Safety Partnership"])
    ws.append(["Partnership Plan 2016/17"])
    ws.append(["1st Quarter Update"])
    ws.append(["Version 2 – July 2016"])
    ws.append([])
    ws.append(["Priority"])
    ws.append(["Safeguarding Vulnerable People"])
    ws.append(HEADER_000)
    ws.append(
        [
            "To safeguard victims of Domestic Abuse from repeat incidents",
            "CPTA will visit all suitable high risk DA victims",
            "An increased number of victims to be safeguarded",
            "Essex Police – Emma Clark (EC)",
            "Q1-4\n3 home inspections and referrals for sanctuary intervention.",
        ]
    )
    ws.append(
        [
            None,
            "To continue to provide a sanctuary scheme for all residents.",
            "Victims are able to remain in their own home.",
            "Community Safety Officers CPBC & RDC (Helen Collins HC- Graham Browne- GB)",
            "On-going support via housing options.",
        ]
    )
    ws.merge_cells("A9:A10")
    ws.append(
        [
            "To raise awareness of Domestic abuse and encourage reporting",
            "Actively promote Essex wide campaigns",
            "Two DA campaigns promoted within the year",
            "All partners",
            "Q1-4",
        ]
    )
    ws.append(
        [
            None,
            "Re - introduce the J9 scheme in both districts",
            "Partners agencies trained",
            "ECC DA provider i.e. Safer Places/ HC + GB",
            "J9 Training sessions booked for October",
        ]
    )
    ws.merge_cells("A11:A12")
    ws.append(HEADER_000)  # repeated on the next page
    ws.append([None, "Family event in Castle Point", "DA information", "ECC -Liz Martlew / HC"])
    ws.append([])
    ws.append(["Priority"])
    ws.append(["Anti-Social Behaviour"])
    ws.append(HEADER_000)
    ws.append(
        [
            "Joint working to proactively tackle ASB",
            "Regular partner proactive days of action",
            "Reduction in ASB cases",
            "Essex Police",
            "Q1-4 ongoing",
        ]
    )
    wb.save(path)
    return path


def seed_004_layout(path: Path) -> Path:
    """Seed 004: "STRATEGIC PRIORITY n:" rows, label rows, Key Milestones | RAG | Outcomes | RAG,
    RAG as text ("G", "A ") or only as a fill colour."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Action plan 2013-14"
    ws.append(["CASTLE POINT AND ROCHFORD DISTRICT COMMUNITY SAFETY PARTNERSHIP"])
    ws.append(["ACTION PLAN & PERFORMANCE PROGRESS"])
    ws.append(["Green signifies that work is completed and there is no cause for concern."])
    ws.append([])
    ws.append(["STRATEGIC PRIORITY 1: REDUCE ANTI-SOCIAL BEHAVIOUR BY 2014"])
    ws.append(["Performance Indicators", "Reduction in ASB incidents by March 2014"])
    ws.append(["Baseline", "Rochford District ASB incidents (Police STORM Database) 2013/14"])
    ws.append(["Target:", "Reduction by March 2014"])
    ws.append(["CSP Lead Agencies", "RDC ASB Officer", "CSP Resources:", "4K CSP allocation"])
    ws.append(["Key Milestones", "RAG", "Outcomes & Outputs", "RAG"])
    ws.append(["Produce ASB response plan", "G", "Ensure diversionary activities", "G"])
    ws.append(["Refer and record individuals", "A ", "Key individuals identified", "green"])
    ws.append(["Fund mediation sessions", None, "Free mediation service available", None])
    ws["B13"].fill = fill("FF00B050")  # Excel's standard green, no text
    ws.append(["Undertake training on new ASB legislation", None, "Increased awareness", None])
    ws["B14"].fill = fill("FFFFC000")  # Excel's standard amber
    ws.append(["Key Risks to Achieving: Delay in engaging partners", None, None, None])
    ws.append([])
    ws.append(["STRATEGIC PRIORITY 2: REDUCE REPEAT INCIDENTS OF DOMESTIC ABUSE BY 2014"])
    ws.append(["Target:", "Reduction in the number of repeat incidents"])
    ws.append(["Key Milestones", "RAG", "Outcomes & Outputs", "RAG"])
    ws.append(["Recruit a Domestic Abuse Reduction Officer.", "Green", "Officer recruited", "G"])
    ws.append(["Deliver the Freedom Programme", "Amber/Green", "Programmes delivered", "A"])
    wb.save(path)
    return path


def google_style_layout(path: Path) -> Path:
    """The way Google Sheets writes a shared plan: header in row 1, odd titles, one sheet per
    priority named by its title, RAG only as Google's palette fills, dates as numbers/text."""
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "Acquisitive Crime"
    second = wb.create_sheet("Empty")
    del second
    third = wb.create_sheet("Partnership working")
    for ws in (first, third):
        ws.append(["OBJECTIVE", "action", "  Outcomes  &  Outputs ", "LEAD", "Due date", "RAG  "])
    first.append(
        ["Reduce dwelling burglaries", "Support for Operation Insight", "Fewer burglaries",
         "Essex Police", 42643, None]
    )  # fmt: skip
    first["F2"].fill = fill("FF00FF00")  # Google "green"
    first.append([None, "Smart water pens", "Pens given out", "NHW", "30/09/2016", None])
    first["F3"].fill = fill("FFFF9900")  # Google "orange"
    first.append([None, "Cocooning", "Neighbours told", "Essex Police", dt.date(2016, 12, 1)])
    first["F4"].fill = fill("FFFF0000")
    third.append(["Work together", "Hold quarterly meetings", "", "All partners", "", "blue"])
    wb.save(path)
    return path

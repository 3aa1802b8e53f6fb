"""Six plan layouts councils use, with the lead texts the seed plans really hold (openpyxl)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.io.xlsx_fixtures import fill

HEADER = ["Strategic Objective", "Actions", "Outcomes / Measures", "Lead Agency/ Officer",
          "Timescales / Updates"]  # fmt: skip


def per_priority_sheets(path: Path) -> Path:
    """One sheet per priority, the objective merged down over its actions (seed 000)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Safeguarding"
    ws.append(["Castle Point and Rochford Community Safety Partnership"])
    ws.append(["Partnership Plan 2016/17"])
    ws.append(["Priority"])
    ws.append(["Safeguarding Vulnerable People"])
    ws.append(HEADER)
    ws.append(
        [
            "To safeguard victims of Domestic Abuse",
            "CPTA home safety visits",
            "Fewer repeats",
            "Essex Police – Emma Clark- EC)",
            "Q1-4 Q1 Rochford\n3 home inspections.",
        ]
    )
    ws.append(
        [
            None,
            "Sanctuary scheme",
            "Victims stay at home",
            "Community Safety Officers CPBC & RDC (Helen Collins HC- Graham Browne- GB)",
            "On-going support via housing options.",
        ]
    )
    ws.merge_cells("A6:A7")
    ws.append(
        [
            "To protect the most vulnerable residents",
            "Senior Safety Road Shows",
            "80% more safety aware",
            "GB",
            "Rochford • Roadshow planned for October",
        ]
    )
    ws.append(
        [
            None,
            "Electric Blanket and Fire Safety event",
            "100 residents",
            "HC Lin Kettley - ECFRS",
            "Q3 – Oct 16",
        ]
    )
    ws.append(
        [
            None,
            "Training event for licensed premises",
            "Better understanding",
            "RDC / CPBC Licensing Teams + Police",
            "Venue booked for 13/9",
        ]
    )
    ws.merge_cells("A8:A10")
    second = wb.create_sheet("Acquisitive crime")
    second.append(["Priority"])
    second.append(["Acquisitive Crime"])
    second.append(HEADER)
    second.append(
        [
            "Enabling residents to keep and feel safe",
            "Crime prevention advice",
            "Key messages distributed",
            "Essex Police – crime reduction officer - Emma Clark NHW",
            "Q1-4 ongoing",
        ]
    )
    second.append(
        [
            "Targeting prolific offenders",
            "Integrated Offender Management",
            "Reduction in reoffending",
            "Essex CRC/ probation Essex Police",
            "Q1-4 ongoing",
        ]
    )
    wb.save(path)
    return path


def one_sheet_strategic_priorities(path: Path) -> Path:
    """All priorities in one sheet under "STRATEGIC PRIORITY n:" rows (seed 004's IOM table)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan 2013-14"
    ws.append(["CASTLE POINT AND ROCHFORD DISTRICT COMMUNITY SAFETY PARTNERSHIP"])
    ws.append([])
    ws.append(["STRATEGIC PRIORITY 4: COMMUNITY ENGAGEMENT"])
    ws.append(["Objective", "Action", "Lead Officer & Organisation", "RAG"])
    ws.append(
        [
            "Increase engagement",
            "Increase awareness of Crimestoppers as a reporting tool",
            "Partnership office and community safety officer RDC Crimestoppers",
            "G",
        ]
    )
    ws.append(
        [
            None,
            "Support NHW and other Watch Schemes",
            "Essex Police EP Watch Coordinator RDC Partnership Officer - Andrew Lowing + NHW",
            "G",
        ]
    )
    ws.append([])
    ws.append(["STRATEGIC PRIORITY 5: INTEGRATED OFFENDER MANAGEMENT (IOM) - REDUCE RE-OFFENDING"])
    ws.append(["Objective", "Action", "Lead Officer & Organisation", "RAG"])
    ws.append(
        [
            "Ensure all partners tackle adult re-offending together",
            "Continue to support the application of IOM",
            "Carolyn Butlin, Essex Probation Sgt Paul Schwarz, Essex Police",
            "G",
        ]
    )
    ws.append(["Monitor and evaluate effectiveness of IOM", "Regular monitoring of IOM cohort",
               "Carolyn Butlin, Essex Probation/Sgt Paul Schwarz, Essex Police Kate Sale, IOM Co- "
               "ordinator, Essex Police/Essex Probation", "A"])  # fmt: skip
    wb.save(path)
    return path


def milestone_blocks(path: Path) -> Path:
    """Seed 004: priority header blocks, Key Milestones | RAG | Outcomes & Outputs | RAG; the
    leads are the priority's "CSP Lead Agencies" text, not an action's."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Action plan 2013-14"
    ws.append(["STRATEGIC PRIORITY 2: REDUCE REPEAT INCIDENTS OF DOMESTIC ABUSE BY 2014"])
    ws.append(["Target:", "Reduction in the number of repeat incidents reported by March 2014"])
    ws.append(["CSP Lead agencies",
               "RDC Domestic Abuse Reduction Officer Basildon Women's Aid",
               "CSP Resources:", "7K CSP allocation"])  # fmt: skip
    ws.append(["Key Milestones", "RAG", "Outcomes & Outputs", "RAG"])
    ws.append(
        [
            "Recruit a RDC Domestic Abuse Reduction Officer.",
            "G",
            "Officer recruited, in place and work plan agreed by September 2013.",
            "G",
        ]
    )
    ws.append(
        [
            "Deliver the Freedom Programme across Rochford District - Sept 13",
            "A",
            "Number of programmes delivered",
            "A",
        ]
    )
    wb.save(path)
    return path


def rag_as_fill_only(path: Path) -> Path:
    """RAG given only as cell colours, in the colours Excel offers (its "Light Green" too)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ASB 2016-17"
    ws.append(["Objective", "Action", "Lead", "RAG"])
    rows = [
        ("Encourage residents to deal with disputes", "Promote Restorative Justice", "All partners",
         "FF92D050"),
        ("To target Environmental Crime", "Community Safety Accreditation scheme",
         "RDC Park/Leisure services RDC / CPBC / Housing Association / Essex Police", "FF00B050"),
        ("Support young people", "Youth Service premises for diversionary activities",
         "ECC Youth Service Community Capacity Building Team Canvey Youth Project", "FFFFC000"),
        ("Night Time Economy", "Street Pastor scheme in Rayleigh",
         "Essex police + Rayleigh Churches", "FFFF0000"),
    ]  # fmt: skip
    for r, (objective, action, lead, colour) in enumerate(rows, start=2):
        ws.append([objective, action, lead, None])
        ws.cell(r, 4).fill = fill(colour)
    wb.save(path)
    return path


def flat_ref_list(path: Path) -> Path:
    """A flat list with a "1.2.3" Ref column, a Priority column and spacer rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Actions 2016-17"
    ws.append(["Ref", "Priority", "Objective", "Action", "Lead", "Timescale", "RAG"])
    ws.append(
        [
            "1.1.1",
            "Safeguarding",
            "DHR",
            "Complete existing DHR",
            "Melanie Harris – CPBC + CSP executive",
            "Q2 -Sept 16",
            "A",
        ]
    )
    ws.append([])
    ws.append(["1.2.1", "Safeguarding", "Hidden harm", "County wide events", "ALL HC/GB",
               "Q1-4", "G"])  # fmt: skip
    ws.append([None] * 7)
    ws.append(
        [
            "2.1.1",
            "Acquisitive Crime",
            "Burglary",
            "Support for Operation Insight",
            "Essex Police – crime reduction officer",
            "Q1-4",
            "G",
        ]
    )
    wb.save(path)
    return path


def title_block_text_dates(path: Path) -> Path:
    """A title block over a header on row 6; timescales written as councils write them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Delivery plan"
    ws.append(["Maldon District Community Safety Partnership"])
    ws.append(["Partnership Plan 2017/18"])
    ws.append(["Version 1"])
    ws.append(["Owner:", "Spencer Clarke"])
    ws.append([])
    ws.append(["Priority", "Objective", "Action", "Lead", "Timescale", "Status"])
    ws.append(
        [
            "Protecting vulnerable people",
            "Support victims",
            "Refer victims",
            "Victim Support",
            "by March 2018",
            "G",
        ]
    )
    ws.append(
        [
            "Protecting vulnerable people",
            "Prevent",
            "Prevent training",
            "Spencer Clarke, Community Safety Manager",
            "Sept 17",
            "A",
        ]
    )
    ws.append(
        [
            "Rural crime",
            "Rural crime unit",
            "Rural crime tasking",
            "Essex Fire and Rescue Service / Victim Support",
            "Ongoing",
            "G",
        ]
    )
    wb.save(path)
    return path


# ---- working sheets as councils keep them (issue 24): each written here, none a copy ----------

QUARTERS = ("Apr-Jun", "Jul-Sep", "Oct-Dec", "Jan-Mar")


def month_range_quarter_pairs(path: Path) -> Path:
    """Quarter column pairs titled by months: "Apr-Jun update | Apr-Jun RAG | Jul-Sep ..."."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Delivery 2016-17"
    ws.append(["Maldon District Community Safety Partnership: Action Plan 2016/17"])
    header = ["Priority", "Objective", "Action", "Lead"]
    for months in QUARTERS:
        header += [f"{months} update", f"{months} RAG"]
    ws.append(header)
    ws.append(["Safer roads", "Fewer casualties", "Speed watch in villages", "Essex Police",
               "Two schemes set up", "G", "Four schemes running", "G", "Six schemes", "A",
               "Eight schemes; two lapsed", "R"])  # fmt: skip
    ws.append(["Safer roads", "Fewer casualties", "Young driver workshops", "Maldon DC",
               "Booked", "A", "Held at Plume", "G", None, None, None, None])  # fmt: skip
    wb.save(path)
    return path


def quarter_sheets(path: Path) -> Path:
    """One sheet per quarter ("Apr-Jun 16" ...), the same actions on each with that quarter's
    update and RAG."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    rags = ("G", "A", "A", "R")
    for q, (months, rag) in enumerate(zip(QUARTERS, rags, strict=True), start=1):
        ws = wb.create_sheet(f"{months} {16 if q < 4 else 17}")
        ws.append(["Thurrock Community Safety Partnership Plan 2016/17"])
        ws.append(["Priority", "Objective", "Action", "Lead", "Update", "RAG"])
        ws.append(["Violence against women and girls", "Support victims", "IDVA service",
                   "Thurrock Council", f"Q{q}: {10 * q} referrals", rag])  # fmt: skip
        ws.append(["Violence against women and girls", "Support victims", "Awareness week",
                   "Essex Police", f"Week planned, stage {q}", "G"])  # fmt: skip
        ws.append(["Gangs", "Reduce county lines", "Gangs matrix reviews", "Essex Police",
                   f"Matrix reviewed {q} times", "A"])  # fmt: skip
    wb.save(path)
    return path


def sharepoint_list(path: Path) -> Path:
    """A SharePoint list exported to Excel: an Excel table with Title, Owner, Organisation,
    status words and due dates, a few typed as text."""
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "owssvr"
    ws.append(["Title", "Owner", "Organisation", "Status", "Due Date", "Internal notes"])
    ws.append(["Hate crime reporting centres", "Sam Patel", "Maldon District Council",
               "On track", "March 2017", "chased 12/4"])  # fmt: skip
    ws.append(["Street drinking PSPO", "Jo Reeve", "Essex Police", "At risk", "31.03.17", None])
    ws.append(["Scams awareness", "Amy Lord", "Citizens Advice", "Complete", "Q3 16/17", None])
    ws.add_table(Table(displayName="Actions", ref="A1:F4"))
    wb.save(path)
    return path


def typed_dates(path: Path) -> Path:
    """Start and Due columns typed as officers type them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan 2016-17"
    ws.append(["Objective", "Action", "Lead", "Start", "Due"])
    rows = [("Apr 16", "Dec 16"), ("Sept '16", "end of March"), ("1st June", "By March 2017"),
            ("30.09.16", "31.03.17"), ("Q1 16/17", "Q3 16/17"), ("Ongoing", "TBC"),
            (None, "Winter 2016")]  # fmt: skip
    for n, (start, due) in enumerate(rows, start=1):
        ws.append(["Keep people safe", f"Action {n}", "Maldon DC", start, due])
    wb.save(path)
    return path


def working_sheet(path: Path) -> Path:
    """A real working sheet: a RAG key beside the title, notes and total rows, "RAG (last
    quarter)" left of "RAG", an "Internal notes" column, rows appended under existing titles."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "CSP plan 2016-17"
    ws.append(["Community Safety Partnership Plan 2016/17", None, None, "RAG key:",
               "Red - off track"])  # fmt: skip
    ws.append(["Q3 update"])
    ws.append(["Priority", "Objective", "Action", "Lead", "RAG (last quarter)", "RAG",
               "Internal notes"])  # fmt: skip
    ws.append(["Youth offending", "Fewer first-time entrants", "Triage at custody",
               "YOS", "A", "G", "chased 12/4"])  # fmt: skip
    ws.append(["Youth offending", "Fewer first-time entrants", "Schools panel", "YOS", "G", "R",
               None])  # fmt: skip
    ws.append(["Domestic abuse", "Support victims", "Refuge places", "Maldon DC", "G", "G",
               None])  # fmt: skip
    ws.append(["Note: YOS figures for Q4 are provisional until the board meets"])
    ws.append(["Total actions", None, 3])
    ws.append(["Youth offending", "Fewer first-time entrants", "Restorative justice pilot",
               "YOS", None, "A", "added in October"])  # fmt: skip
    ws.append(["Green = on track"])
    ws.append(["Amber", "Some slippage"])
    ws.append(["Red", "Off track: needs the board"])
    wb.save(path)
    return path


ALL = (per_priority_sheets, one_sheet_strategic_priorities, milestone_blocks, rag_as_fill_only,
       flat_ref_list, title_block_text_dates, month_range_quarter_pairs, quarter_sheets,
       sharepoint_list, typed_dates, working_sheet)  # fmt: skip


def sharepoint_own_columns(path: Path) -> Path:
    """A SharePoint list whose columns the reader does not know by name: its table definition
    says where the header is; the first column is each item's title."""
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Query"
    ws.append(["Exported from SharePoint on 03/04/2017"])
    ws.append(["Workstream item", "Assigned To", "Partner org", "% Complete", "Modified"])
    ws.append(["Prevent referrals pathway", "Kay Bell", "Essex County Council", 0.5, "01/03/2017"])
    ws.append(["Safeguarding board audit", "Raj Mann", "Essex Police", 1, "02/03/2017"])
    ws.add_table(Table(displayName="Workstreams", ref="A2:E4"))
    wb.save(path)
    return path


ALL = (*ALL, sharepoint_own_columns)


def sharepoint_choices(path: Path) -> Path:
    """A SharePoint task list: Priority and Status are choice fields, written with their
    ordinals ("(2) Normal", "(3) Completed")."""
    from openpyxl.worksheet.table import Table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tasks"
    ws.append(["Title", "Assigned To", "Priority", "Status", "Due Date"])
    ws.append(["CCTV review", "Sam Patel", "(1) High", "(2) In Progress", "31/03/2017"])
    ws.append(["Street drinking PSPO", "Jo Reeve", "(2) Normal", "(1) Not Started", None])
    ws.append(["Scams awareness", "Amy Lord", "(3) Low", "(3) Completed", "Q3 16/17"])
    ws.append(["(1) Reduce reoffending", "Kay Bell", "(2) Normal", "On track", None])
    ws.add_table(Table(displayName="Tasks", ref="A1:E5"))
    wb.save(path)
    return path


ALL = (*ALL, sharepoint_choices)

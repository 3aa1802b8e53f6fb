"""A partner's edits to the All partners Q1 return, shared by the LibreOffice tests and the
tests of new work."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cspdesk.store.db import Workspace


def fill_all_partners(path: Path) -> None:
    book = load_workbook(path)
    sheet = book["Actions"]
    sheet["G2"] = "Second campaign booked\nfor December"
    sheet["H2"] = "amber"
    sheet["I4"] = "15/12/2016"
    sheet["H4"] = "Blue"
    book.save(path)


def merge_new_work(workspace: Workspace, folder: Path) -> Path:
    """The All partners Q1 return, completed by Essex Police, with one row of new work, merged."""
    from cspdesk.returns.apply import apply_return
    from cspdesk.returns.make import make_returns
    from cspdesk.returns.read import read_return

    path = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, folder)}["All partners"]
    book = load_workbook(path)
    book["Cover"]["B8"], book["Cover"]["B9"] = "Essex Police", "Emma Clark"
    sheet = book["Actions"]
    sheet["C6"], sheet["G6"], sheet["H6"] = "White Ribbon day stall", "Held on 25 Nov", "Green"
    book.save(path)
    workspace.write(apply_return, workspace.read(read_return, path))
    return path

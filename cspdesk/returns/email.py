"""A draft email per lead with its return attached (.eml; Outlook opens it ready to send)."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.core.plan import periods
from cspdesk.io.atomic import write_bytes_atomic

if TYPE_CHECKING:
    from cspdesk.returns.sheets import Stamp

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def draft_email(attachment: Path, stamp: Stamp) -> EmailMessage:
    from cspdesk.returns.cover import long_date

    year, q = stamp.plan.year, stamp.quarter
    message = EmailMessage()
    message["To"] = stamp.lead.email
    message["Subject"] = f"{stamp.plan.partnership}: {year} Q{q} return – {stamp.lead.name}"
    # Outlook opens a message with this header as an unsent draft, ready to send.
    message["X-Unsent"] = "1"
    message.set_content(
        f"Dear colleague,\n\n"
        f"Please find attached the {periods.quarter_title(year, q).lower()} return for the "
        f"{stamp.plan.partnership} Partnership Plan {year}, listing the actions "
        f"{stamp.lead.name} leads.\n\n"
        f"Please add this quarter's update and RAG status for each action, and the done date "
        f"of any milestone completed, in the yellow cells, save the file and send it back by "
        f"{long_date(stamp.due)}.\n\n"
        f"Many thanks.\n"
    )
    message.add_attachment(
        attachment.read_bytes(),
        maintype=XLSX_TYPE[0],
        subtype=XLSX_TYPE[1],
        filename=attachment.name,
    )
    return message


def write_draft_email(target: Path, attachment: Path, stamp: Stamp) -> None:
    write_bytes_atomic(target, draft_email(attachment, stamp).as_bytes(policy=SMTP))

"""Write the frozen workspaces of tests/data/workspaces: one file per schema revision.

    python -m tests.store.frozen_workspaces

Each vNNNN file is the frozen v0001 demo brought to revision NNNN and given the rows that
revision introduced (a lead's contribution from 0004, a lead alias from 0005, a plan-level
indicator from 0006, police counts from 0007p, an action's notes from 0009, what a merged
return set from 0010), with names as long as real partners' names, as a file of that time would
hold them. Run once when a migration is added, then commit the new file; never rewrite an old
one.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import text

from cspdesk.store.db import make_engine, migrate

FROZEN = Path(__file__).resolve().parent.parent / "data" / "workspaces"
LONG_NAME = "Essex Community Rehabilitation Company (Probation)"

ROWS_OF = {
    "0004": [
        "INSERT OR IGNORE INTO agency (name, short_name, email) VALUES "
        f"('{LONG_NAME}', 'ECRC (Probation)', 'returns@essex-crc.example.org.uk')",
        "INSERT INTO contribution (action_id, quarter, lead_key, agency_id, lead_name, text, rag,"
        " source, updated_at) SELECT 1, 1, 'agency:' || id, id, name,"
        " 'Offender managers attended every panel.', 'G',"
        f" 'return: {LONG_NAME} q1.xlsx', '2016-07-08 10:00:00' FROM agency"
        f" WHERE name = '{LONG_NAME}'",
        "INSERT INTO history (at, who, entity, entity_id, field, old, new, note) VALUES"
        f" ('2016-07-08 10:00:00', 'return: {LONG_NAME} q1.xlsx', 'action', 1,"
        f" 'q1_update ({LONG_NAME})', NULL, 'Offender managers attended every panel.', '')",
    ],
    "0005": [
        "INSERT INTO lead_alias (text, position, agency_id, officer_id, note) SELECT"
        " 'CRC', 0, id, NULL, '' FROM agency"
        f" WHERE name = '{LONG_NAME}'",
    ],
    "0006": [
        "INSERT INTO indicator (plan_id, priority_id, action_id, position, name, unit, source,"
        " better, baseline, baseline_period, target) VALUES (1, NULL, NULL, 0, 'All crime',"
        " 'crimes', 'Essex Police', 'lower', '', '', '')",
    ],
    "0007p": [
        "INSERT INTO police_month (month, source, forces, no_location, other_districts,"
        " imported_at) VALUES ('2016-04-01', 'police.zip: 2016-04/2016-04-essex-street.csv',"
        " 'Essex Police', 312, 10544, '2016-06-03 09:30:00')",
        "INSERT INTO police_count (month, district, crime_type, count) VALUES"
        " ('2016-04-01', 'Castle Point', 'Anti-social behaviour', 241),"
        " ('2016-04-01', 'Rochford', 'Violence and sexual offences', 144)",
    ],
    # 0008: text longer than the old VARCHARs, as a file took it all along.
    "0008": [
        "INSERT INTO officer (name, initials, agency_id, email) VALUES"
        " ('Anne Marie Fox-Hale', 'DCI AM-F (EP)', NULL, '')",
        "UPDATE action SET timescale = 'Quarterly, reviewed at each CSP Executive meeting; '"
        " || 'reported to the Joint Strategic Assessment and the PCC''s Police and Crime Plan '"
        " || 'board, with an annual review by the Safer Essex Partnership and the County '"
        " || 'Council''s scrutiny committee' WHERE id = 1",
    ],
    "0009": [
        "UPDATE action SET notes = 'Internal notes: chased 12/4' WHERE id = 1",
    ],
    "0010": [
        "INSERT INTO return_record (token, plan_id, quarter, agency_id, lead_name, file_name,"
        " made_at, merged_at, merged_file, decisions_waiting, merged_saved_at, completed_by,"
        " merged_values) VALUES ('0010frozen', 1, 1, NULL, 'All partners', 'q1.xlsx',"
        " '2016-07-01 09:00:00', '2016-07-12 10:00:00', 'q1 v1.xlsx', 0, '2016-07-10 09:00:00',"
        f" '{LONG_NAME}, A. Person',"
        """ '[["milestone", 1, "done_date", "", null, "2016-06-20"]]')""",
    ],
}


def write(revision: str) -> Path:
    target = FROZEN / f"v{revision}_demo.cspdesk"
    shutil.copy(FROZEN / "v0001_demo.cspdesk", target)
    engine = make_engine(target)
    migrate(engine, revision)
    with engine.begin() as conn:
        for earlier, rows in ROWS_OF.items():
            if earlier <= revision:
                for row in rows:
                    conn.execute(text(row))
    engine.dispose()
    with sqlite3.connect(target) as plain:  # outside any transaction, as VACUUM needs
        plain.isolation_level = None
        plain.execute("VACUUM")
    plain.close()
    return target


if __name__ == "__main__":
    for revision in ("0002", "0003", "0004", "0005", "0006", "0007p", "0008", "0009", "0010"):
        if not (FROZEN / f"v{revision}_demo.cspdesk").exists():
            print(write(revision))

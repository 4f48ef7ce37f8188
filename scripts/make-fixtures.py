#!/usr/bin/env python3
"""Writes the small fixtures of tests/fixtures/ that Rust cannot write itself.

Needs xlwt (pip install xlwt). The fixtures are committed; CI does not run this.
  python3 scripts/make-fixtures.py
"""
import datetime
import os

import xlwt

HERE = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")


def legacy_xls():
    """An Excel 97-2003 workbook as older offices still send: real date cells, euro amounts."""
    wb = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    euros = xlwt.easyxf(num_format_str='#,##0.00 "€"')
    ws = wb.add_sheet("Conventions")
    ws.write(0, 0, "Conventions du Parc – export 2020")
    header = ["Identifiant", "Intitulé", "Échelle", "Parc", "Partenaires", "Objectifs",
              "Date de signature", "Date début", "Date fin", "Montant total", "Statut"]
    for c, h in enumerate(header):
        ws.write(2, c, h)
    rows = [
        ("X-1", "Inventaire des mares", "locale", "AVE", "XP-1", "OS1;OS3",
         datetime.date(2019, 12, 1), datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), 12000.5, "soldée"),
        ("X-2", "Haies bocagères", "locale", "Avesnois", "XP-1", "2",
         datetime.date(2020, 2, 1), datetime.date(2020, 3, 1), datetime.date(2020, 12, 31), 8000, "soldée"),
    ]
    for r, row in enumerate(rows, start=3):
        for c, v in enumerate(row):
            if isinstance(v, datetime.date):
                ws.write(r, c, v, dates)
            elif isinstance(v, float) or isinstance(v, int):
                ws.write(r, c, v, euros)
            else:
                ws.write(r, c, v)
    ws = wb.add_sheet("Partenaires")
    for c, h in enumerate(["id", "nom", "type", "rna", "code_postal"]):
        ws.write(0, c, h)
    for c, v in enumerate(["XP-1", "Les Amis du Bocage", "association", "W593000123", "59550"]):
        ws.write(1, c, v)
    wb.save(os.path.join(HERE, "ancien-format.xls"))


if __name__ == "__main__":
    os.makedirs(HERE, exist_ok=True)
    legacy_xls()

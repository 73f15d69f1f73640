# German ERP (e.g. Sage 100 / Lexware / SAP B1 DE) and French ERP (Sage 100c / EBP) item sales exports:
import os
# ';' separated, Windows-1252, decimal comma, thousands '.' (DE) or NBSP (FR), dd.mm.yyyy (DE) / dd/mm/yyyy (FR),
# credit notes (Gutschrift / Avoir) written POSITIVE, cancelled (storniert / Annulée) rows, a title line (DE)
import sys, csv, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
LANG = sys.argv[1]
out = ROOT + f"/s8_{LANG.lower()}"
os.makedirs(out, exist_ok=True)
custs = customers(300, seed=28 if LANG == "DE" else 29)
r = random.Random(10)
for c in custs: c["kid"] = str(10000 + c["idx"] * 3)
WG = {"DE": {"Networking": "Netzwerk", "Storage": "Speicher", "Software": "Software", "Services": "Dienstleistung"},
      "FR": {"Networking": "Réseau", "Storage": "Stockage", "Software": "Logiciels", "Services": "Prestations"}}[LANG]
def num(x, nd=2):
    s = f"{abs(x):,.{nd}f}"
    if LANG == "DE": s = s.replace(",", "X").replace(".", ",").replace("X", ".")
    else: s = s.replace(",", "\u00a0").replace(".", ",")
    return ("-" if x < 0 else "") + s
def dd(d): return d.strftime("%d.%m.%Y") if LANG == "DE" else d.strftime("%d/%m/%Y")
if LANG == "DE":
    hdr = ["Kundennr.", "Kunde", "Rechnungsnr.", "Rechnungsdatum", "Belegart", "Status", "Artikelnr.", "Artikelbezeichnung", "Warengruppe", "Menge", "Einheit", "VK-Preis", "Rabatt %", "Umsatz netto", "Einstandspreis", "Deckungsbeitrag", "DB %", "Währung"]
    INV, CR, OK, CANC = "Rechnung", "Gutschrift", "gebucht", "storniert"
else:
    hdr = ["Code client", "Raison sociale", "N° pièce", "Date pièce", "Type pièce", "Statut", "Code article", "Désignation", "Famille", "Quantité", "Unité", "PU HT", "Remise %", "Montant HT", "Prix de revient", "Marge", "Taux de marque %", "Devise"]
    INV, CR, OK, CANC = "Facture", "Avoir", "Comptabilisée", "Annulée"
truth = []
n = 0
for part, (a, b) in [("log", ("2022-01-01", "2024-12-31")), ("holdout", ("2025-01-01", "2025-06-30"))]:
    rows = []
    for o in orders(custs, a, b, seed=141 if part == "log" else 142):
        c = o["cust"]; n += 1; d = o["date"]
        st = CANC if r.random() < 0.03 else OK
        docs = [(INV, d, o["lines"], f"RE{n:06d}" if LANG == "DE" else f"FA{n:06d}")]
        if r.random() < 0.05:
            cd = d + dt.timedelta(days=r.randrange(2, 20))
            if (part == "log" and cd.year <= 2024) or (part == "holdout" and cd <= dt.datetime(2025, 6, 30)):
                docs.append((CR, cd, o["lines"][:1], f"GS{n:06d}" if LANG == "DE" else f"AV{n:06d}"))
        for typ, day, lines, num_ in docs:
            for p, q, up in lines:
                rab = r.choice([0, 0, 0, 3, 5])
                ums = round(q * up * (1 - rab / 100), 2)
                ek = round(up * 0.62, 2)
                db = round(ums - q * ek, 2)
                rows.append([c["kid"], c["name"], num_, dd(day), typ, st if typ == INV else OK, p["sku"], p["name"], WG[p["cat"]], num(q, 3), "Stk" if LANG == "DE" else "U", num(up), num(rab), num(ums), num(q * ek), num(db), num(100 * db / ums if ums else 0), "EUR"])
                if st == OK or typ == CR:
                    truth.append(dict(part=part, cust=c["kid"], date=day.strftime("%Y-%m-%d"), product=p["sku"], cat=WG[p["cat"]], value=(db if typ == INV else -db), revenue=(ums if typ == INV else -ums)))
    rows.sort(key=lambda x: (x[3][6:], x[3][3:5], x[3][:2], x[2]))
    fn = f"{out}/{'Umsatzliste_2022-2024' if LANG == 'DE' else 'ventes_articles_2022-2024'}.csv" if part == "log" else f"{out}/{'Umsatzliste_2025' if LANG == 'DE' else 'ventes_articles_2025'}.csv"
    with open(fn, "w", newline="", encoding="cp1252") as f:
        if LANG == "DE":
            f.write(f"Umsatzliste Artikel;Zeitraum {'01.01.2022 - 31.12.2024' if part == 'log' else '01.01.2025 - 30.06.2025'}\r\n\r\n")
        w = csv.writer(f, delimiter=";", lineterminator="\r\n"); w.writerow(hdr); w.writerows(rows)
    print(part, len(rows))
pd.DataFrame(truth).to_csv(f"{out}/truth.csv", index=False)

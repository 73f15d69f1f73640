# Square export where Services/Software items have no SKU (common: SKU is optional in Square)
import os
import pandas as pd
ROOT = os.environ.get("EXPORTS_DIR", os.getcwd())
for fn in ["items-2022-01-01-2024-12-31.csv","items-2025-01-01-2025-06-30.csv"]:
    d=pd.read_csv(ROOT + "/s2_square/"+fn,dtype=str,keep_default_na=False)
    d.loc[d.Category.isin(["Services","Software"]),"SKU"]=""
    d.to_csv(ROOT + "/s2_square/halfsku_"+fn,index=False)
    d["SKU"]=""; d.to_csv(ROOT + "/s2_square/nosku_"+fn,index=False)

"""SIMBAD object-type labels: the values ``d:cdsxmatch`` (and so Fink's SIMBAD class) can take.

Source: fink-utils ``fink_utils/xmatch/otypes.txt`` (a copy of SIMBAD's
https://simbad.cds.unistra.fr/guide/otypes.labels.txt), read through fink-utils'
``get_simbad_labels("old_and_new")``: the old labels of its 198 rows (``Unknown`` removed),
then the new labels not already listed — 315 labels, in file order. This is data, not code.
"""

from __future__ import annotations

SIMBAD_LABELS: tuple[str, ...] = (
    "Irregular_V*", "LMXB", "Nova", "EllipVar", "HH", "Mira", "pulsV*SX", "deltaCep", "PulsV*bCep",
    "RRLyr", "Pulsar", "RotV*alf2CVn", "Orion_V*", "Be*", "WR*", "RGB*", "brownD*", "RedSG*",
    "HMXB", "EB*", "Eruptive*", "Erupt*RCrB", "Star", "TTau*", "HotSubdwarf", "BlueStraggler",
    "SG*", "YellowSG*", "YSO", "BlueSG*", "Neutron*", "RotV*", "SB*", "HB*", "gammaDor", "Ae*",
    "PulsV*WVir", "PulsV*", "Outflow", "PulsV*delSct", "BYDra", "RSCVn", "Cepheid", "C*",
    "Symbiotic*", "Pec*", "S*", "XB", "CataclyV*", "LPV*", "**", "AGB*", "SN", "OH/IR",
    "low-mass*", "Planet", "post-AGB*", "PulsV*RVTau", "V*", "PN", "Em*", "PM*", "WD*", "HV*",
    "GlCl", "Stream*", "OpCl", "MouvGroup", "Cl*", "Assoc*", "RfNeb", "SFregion", "GalNeb", "HII",
    "MolCld", "Cloud", "DkNeb", "Globule", "denseCore", "Bubble", "ComGlob", "SNR", "HVCld", "ISM",
    "HIshell", "Seyfert_1", "BLLac", "LSB_G", "Blazar", "BClG", "Seyfert", "RadioG", "BlueCompG",
    "Seyfert_2", "StarburstG", "LINER", "QSO", "HII_G", "EmG", "AGN", "Galaxy", "GinPair",
    "GinGroup", "GinCl", "Compact_Gr_G", "IG", "PairG", "GroupG", "ClG", "SuperClG", "Void",
    "GravLens", "LensedG", "LensingEv", "LensedQ", "LensedImage", "GravLensSystem",
    "GravWaveEvent", "Gravitation", "Radio(m)", "gammaBurst", "ULX", "IR>30um", "EmObj", "Blue",
    "Radio(cm)", "Radio(mm)", "IR<10um", "Radio(sub-mm)", "HI", "radioBurst", "Maser", "Transient",
    "Radio", "IR", "UV", "X", "gamma", "multiple_object", "Inexistent", "PartofCloud", "PartofG",
    "Region", "QSO_Candidate", "Blazar_Candidate", "BLLac_Candidate", "Candidate_Hsd", "GlCl?",
    "Possible_G", "Candidate_brownD*", "Candidate_low-mass*", "Candidate_SN*", "Candidate_BH",
    "Candidate_NS", "SNR?", "Candidate_WD*", "outflow?", "Candidate_BSS", "Candidate_post-AGB*",
    "Candidate_Mi*", "V*?", "Candidate_LP*", "Candidate_AGB*", "Candidate_BSG*", "Candidate_YSG*",
    "Candidate_RSG*", "Candidate_SG*", "Candidate_RGB*", "Candidate_Cepheid", "Candidate_RRLyr",
    "Candidate_HB*", "Candidate_Ae*", "Candidate_Be*", "Candidate_WR*", "Candidate_OH",
    "Candidate_S*", "Candidate_C*", "Candidate_TTau*", "Candidate_YSO", "Candidate_HMXB",
    "Candidate_LMXB", "Candidate_XB*", "Candidate_Nova", "Candidate_CV*", "Candidate_Symb*",
    "Candidate_EB*", "Candidate_**", "Possible_GrG", "Possible_ClG", "Possible_SClG", "PN?",
    "RCrB_Candidate", "Possible_lensImage", "Candidate_Lens", "Candidate_LensSystem", "ULX?",
    "Planet?", "AGN_Candidate", "IrregularV*", "LowMassXBin", "HerbigHaroObj", "SXPheV*",
    "ClassicalCep", "bCepV*", "RRLyrae", "alf2CVnV*", "OrionV*", "WolfRayet*", "BrownD*", "RedSG",
    "HighMassXBin", "EclBin", "RCrBV*", "TTauri*", "Supergiant", "YellowSG", "BlueSG",
    "HorBranch*", "gammaDorV*", "Type2Cep", "delSctV*", "BYDraV*", "RSCVnV*", "ChemPec*",
    "XrayBin", "LongPeriodV*", "Supernova", "OH/IR*", "Low-Mass*", "RVTauV*", "Variable*",
    "PlanetaryNeb", "EmLine*", "HighPM*", "WhiteDwarf", "HighVel*", "GlobCluster", "Stream",
    "OpenCluster", "Cluster*", "Association", "RefNeb", "StarFormingReg", "HIIReg", "DarkNeb",
    "SNRemnant", "Seyfert1", "LowSurfBrghtG", "BrightestCG", "BlueCompactG", "Seyfert2", "HIIG",
    "EmissionG", "GtowardsGroup", "GtowardsCl", "InteractingG", "metricRad", "FarIR", "blue",
    "cmRad", "mmRad", "NearIR", "smmRad", "Infrared", "Blend", "Hsd_Candidate", "GlCl_Candidate",
    "G_Candidate", "brownD*_Candidate", "low-mass*_Candidate", "SN*_Candidate", "BH_Candidate",
    "NS_Candidate", "SNR_Candidate", "WD*_Candidate", "outflow_Candidate", "BSS_Candidate",
    "post-AGB*_Candidate", "Mi*_Candidate", "V*_Candidate", "LP*_Candidate", "AGB*_Candidate",
    "BSG*_Candidate", "YSG*_Candidate", "RSG*_Candidate", "SG*_Candidate", "RGB*_Candidate",
    "Cepheid_Candidate", "RRLyr_Candidate", "HB*_Candidate", "Ae*_Candidate", "Be*_Candidate",
    "WR*_Candidate", "OH_Candidate", "S*_Candidate", "C*_Candidate", "TTau*_Candidate",
    "YSO_Candidate", "HMXB_Candidate", "LMXB_Candidate", "XB*_Candidate", "Nova_Candidate",
    "CV*_Candidate", "Symb*_Candidate", "EB*_Candidate", "**_Candidate", "GrG_Candidate",
    "ClG_Candidate", "SClG_Candidate", "PN_Candidate", "lensImage_Candidate", "Lens_Candidate",
    "LensSystem_Candidate", "ULX_Candidate", "Planet_Candidate",
)  # fmt: skip
"""Old and new SIMBAD labels (``Unknown`` excluded, as Fink's ``/classes`` does)."""

assert len(SIMBAD_LABELS) == len(set(SIMBAD_LABELS)) == 315, "SIMBAD_LABELS has duplicates"

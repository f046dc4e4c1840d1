Attribute VB_Name = "gendan"
Option Explicit

' gendan_xl buttons: each Sub runs one Python function through xlwings (RunPython, defined in
' the xlwings module of this workbook). Keep this file ASCII: the Chinese button captions are
' set from Python. Source: macros/gendan.bas in gendan_xl.

Sub GendanCheck()
    RunPython "import gendan_xl.xl as g; g.check()"
End Sub

Sub GendanDocuments()
    RunPython "import gendan_xl.xl as g; g.make_documents()"
End Sub

Sub GendanPlan()
    RunPython "import gendan_xl.xl as g; g.shipment_plan()"
End Sub

Sub GendanFindings()
    RunPython "import gendan_xl.xl as g; g.show_findings()"
End Sub

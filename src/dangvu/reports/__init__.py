"""Reports: periods, report assembly, Vietnamese narrative and the DOCX/XLSX/PDF exports."""

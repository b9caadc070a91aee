// The scripts that load the interviews' CSV labelled in R, Stata and SPSS, made from the export's
// data dictionary (dictionary.ts): each returns the script's text.
export { rScript } from './r.ts';
export { stataScript } from './stata.ts';
export { spssScript } from './spss.ts';

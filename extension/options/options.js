/* The options page: every setting the rules know, with what it controls and a checkbox
   "include in opt-out", and the scheduled re-check (options/settings.js, shared with the
   first-run page), and the record saved as files and restored from one (options/recordfile.js). */

import { localizePage } from "../lib/localize.js";
import { showRecordFile } from "./recordfile.js";
import { showRecheck, showSettings } from "./settings.js";

localizePage();
showSettings(document.getElementById("settings"));
showRecheck(document.getElementById("recheck"));
showRecordFile();

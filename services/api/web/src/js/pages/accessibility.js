// accessibility.js - the accessibility statement is plain text with nothing to fetch: the page is
// ready as soon as it is parsed (tests and tools wait on html[data-ready]).
import { pageReady } from '../lib/uc-page.js';

pageReady();

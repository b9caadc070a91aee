// Imported first by both pages: their Content-Security-Policy forbids eval, and zod would try
// `new Function` for faster parsers, a refused attempt the browser reports as a violation.
import { z } from 'zod';

z.config({ jitless: true });

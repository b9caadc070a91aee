// Vite configuration. The PWA build arrives with the app issue; for now it only configures Vitest.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});

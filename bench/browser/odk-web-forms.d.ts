// @getodk/web-forms 0.22.0 ships no type declarations (its package.json names a dist/index.d.ts
// that is not in the package): the two exports the benchmark's ODK page uses.
declare module '@getodk/web-forms' {
  import type { Component, Plugin } from 'vue';

  /** The form: props `formXml` and `fetchFormAttachment` (required), event `submit`. */
  export const OdkWebForm: Component;
  /** Installs PrimeVue, which the form's controls are made of. */
  export const webFormsPlugin: Plugin;
}

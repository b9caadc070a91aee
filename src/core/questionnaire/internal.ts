// What the rest of src/core may use of the questionnaire module beyond its contract (index.ts):
// the compiled graph and the engine's variants that skip a copy or a lookup, for the server's
// checks of uploaded records. Lint keeps the app, the server, the dashboard and the scripts out.
export type { GraphNode, VariableKind } from './model.ts';
export { createStateInto, createStateTaking, validateAnswerAt } from './engine.ts';
export { describeSchemaIssue } from './issues.ts';
export { describeRange, validationMessage } from './messages.ts';

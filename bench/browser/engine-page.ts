// The Chromium page of figures 1 and 2: our engine and ODK's published one (@getodk/xforms-engine,
// which needs the browser's DOMParser) on the same generated questionnaire, in the same page.
// bench/figures drive it through `window.bench`; each measurement runs in a freshly loaded page.
import { loadForm } from '@getodk/xforms-engine';
import type { AnyNode, IntInputNode, RootNode, SelectNode } from '@getodk/xforms-engine';
import type { Answering } from '../engine-timing.ts';
import { timeAnswering, timeReady } from '../engine-timing.ts';
import { FIGURE_QUESTIONNAIRE, syntheticQuestionnaire } from '../synthetic-questionnaire.ts';

export interface Comparison {
  readonly oursReadyMs: number;
  readonly oursAnsweringMs: number;
  readonly theirsReadyMs: number;
  readonly theirsAnsweringMs: number;
  /** Items answered (the same ones, in the same order, in both engines). */
  readonly answered: number;
  /** After answering: relevant questions and the sum of the calculations, in each engine. */
  readonly ours: { readonly relevant: number; readonly calculationSum: number };
  readonly theirs: { readonly relevant: number; readonly calculationSum: number };
}

export interface EngineBench {
  /** Figure 1: ours, definition text to first item (`smpg`: fetched from ./smpg.json first). */
  ready(which: 'smpg' | 'synthetic'): Promise<number>;
  /** Figure 2: both engines, ready then answering, on the generated questionnaire. */
  compare(): Promise<Comparison>;
}

declare global {
  interface Window {
    bench: EngineBench;
  }
}

const synthetic = syntheticQuestionnaire(FIGURE_QUESTIONNAIRE);
const syntheticText = JSON.stringify(synthetic.definition);

/** Every node of an ODK instance by its reference (`/data/s1/q2`). */
function nodesByReference(root: RootNode): Map<string, AnyNode> {
  const out = new Map<string, AnyNode>();
  const visit = (node: AnyNode): void => {
    out.set(node.currentState.reference, node);
    const children = node.currentState.children as readonly AnyNode[] | null;
    for (const child of children ?? []) visit(child);
  };
  visit(root as AnyNode);
  return out;
}

function theirsAnswering(root: RootNode, ours: Answering): number {
  const nodes = nodesByReference(root);
  const targets = ours.answered.map((id) => {
    const node = nodes.get(synthetic.paths.get(id) ?? '');
    if (node === undefined) throw new Error(`no ODK node for ${id}`);
    return { node, value: synthetic.answers.get(id) ?? '' };
  });
  const start = performance.now();
  for (const { node, value } of targets) {
    if (node.nodeType === 'select') (node as SelectNode).selectValue(String(value));
    else if (node.nodeType === 'input') (node as IntInputNode).setValue(Number(value));
    else throw new Error(`unexpected ODK node ${node.nodeType}`);
  }
  return performance.now() - start;
}

function theirsCheck(root: RootNode): { relevant: number; calculationSum: number } {
  let relevant = 0;
  let calculationSum = 0;
  for (const node of nodesByReference(root).values()) {
    if ((node.nodeType === 'select' || node.nodeType === 'input') && node.currentState.relevant)
      relevant++;
    if (node.nodeType === 'model-value' && node.currentState.reference !== '/data/meta/instanceID')
      calculationSum += Number(node.currentState.instanceValue);
  }
  return { relevant, calculationSum };
}

window.bench = {
  async ready(which) {
    const text = which === 'smpg' ? await (await fetch('./smpg.json')).text() : syntheticText;
    return timeReady(text).ms;
  },
  async compare() {
    const ready = timeReady(syntheticText);
    const answering = timeAnswering(ready, synthetic.answers);
    const start = performance.now();
    const form = await loadForm(synthetic.xform);
    if (form.status === 'failure') throw new Error(`ODK refused the form: ${form.error.message}`);
    const instance = form.createInstance();
    const theirsReadyMs = performance.now() - start;
    const theirsAnsweringMs = theirsAnswering(instance.root, answering);
    return {
      oursReadyMs: ready.ms,
      oursAnsweringMs: answering.ms,
      theirsReadyMs,
      theirsAnsweringMs,
      answered: answering.answered.length,
      ours: { relevant: answering.relevant, calculationSum: answering.calculationSum },
      theirs: theirsCheck(instance.root),
    };
  },
};

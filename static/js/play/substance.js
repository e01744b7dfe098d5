// What a call message and a letter share: the structured facts, intent and proposal fields that make
// contact substantive, with free text, and how a received message shows them.

import { h } from '../dom.js';
import { t } from '../i18n.js';

export const PARTS = ['facts', 'intent', 'proposal'];

/** The four inputs (facts, intent, proposal, text), keyed by name. */
export function substanceInputs(textLabelKey = 'call.text') {
  const inputs = {
    facts: h('textarea', { rows: 2, maxlength: 2000, placeholder: t('call.facts_help') }),
    intent: h('textarea', { rows: 2, maxlength: 2000, placeholder: t('call.intent_help') }),
    proposal: h('textarea', { rows: 2, maxlength: 2000, placeholder: t('call.proposal_help') }),
    text: h('textarea', { rows: 2, maxlength: 2000 }),
  };
  const labels = { facts: t('call.facts'), intent: t('call.intent'), proposal: t('call.proposal'), text: t(textLabelKey) };
  return { inputs, fields: Object.entries(inputs).map(([name, input]) => [labels[name], input]) };
}

/** The command fields for what was typed (empty parts left out), or null when nothing was. */
export function readSubstance(inputs) {
  const values = Object.fromEntries(Object.entries(inputs).map(([key, input]) => [key, input.value.trim()]));
  if (!Object.values(values).some(Boolean)) return null;
  const command = { text: values.text };
  for (const part of PARTS) if (values[part]) command[part] = values[part];
  return command;
}

export function clearSubstance(inputs) {
  for (const input of Object.values(inputs)) input.value = '';
}

/** Labelled lines for the parts a message carries, then its free text. */
export function substanceLines(payload) {
  const lines = PARTS.filter((part) => payload[part]).map((part) =>
    h('p', {}, h('span', { class: 'detail-label', text: `${t(`call.${part}`)}: ` }), payload[part]),
  );
  if (payload.text) lines.push(h('p', { text: payload.text }));
  return lines;
}


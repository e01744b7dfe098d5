// Chinese needs a CJK font on the reader's machine; a Linux desktop without one shows empty boxes. When
// the page is shown in Chinese and the browser draws 中 exactly as it draws a character no font has,
// the consoles say so in both languages and name the package that fixes it.

import { h } from './dom.js';
import { t, currentLanguage, onLanguageChange } from './i18n.js';

function drawn(text) {
  const canvas = document.createElement('canvas');
  canvas.width = 40;
  canvas.height = 40;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.font = '32px sans-serif';
  context.fillStyle = '#000';
  context.fillText(text, 2, 32);
  return context.getImageData(0, 0, 40, 40).data.join(',');
}

/** True when the browser has a font for Chinese (null when it cannot tell). */
export function rendersChinese() {
  const chinese = drawn('中文');
  const missing = drawn('\uE000\uE001'); // private-use characters: no font draws them
  if (chinese === null || missing === null) return null;
  return chinese !== missing;
}

/** Keep a notice after `anchor` while Chinese is shown and cannot be drawn. */
export function watchChineseFont(anchor) {
  const notice = h('p', { class: 'font-warning', role: 'alert', id: 'font-warning', hidden: true });
  anchor.after(notice);
  const check = () => {
    const needed = currentLanguage().startsWith('zh') && rendersChinese() === false;
    notice.hidden = !needed;
    notice.textContent = needed ? `${t('fonts.missing')} (No Chinese font: install fonts-noto-cjk or fonts-wqy-microhei.)` : '';
  };
  check();
  onLanguageChange(check);
  return notice;
}

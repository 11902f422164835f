// Small progressive enhancements; every page works without them except the row editors' add/remove buttons.
(() => {
  'use strict';

  // The few words the script writes itself, in the page's language (<html lang>, set from the UI culture).
  const words = document.documentElement.lang === 'ru'
    ? { copied: 'Скопировано!', pressCtrlC: 'Нажмите Ctrl+C', hide: 'Скрыть', show: 'Показать' }
    : { copied: 'Copied!', pressCtrlC: 'Press Ctrl+C', hide: 'Hide', show: 'Show' };

  // Copy buttons: <button data-copy-target="#id"> copies an input's value, or the text of any other element (code samples).
  const copy = async (text) => {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  };

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('[data-copy-target]');
    if (!button) return;
    const source = document.querySelector(button.dataset.copyTarget);
    if (!source) return;
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    const isInput = 'value' in source && typeof source.select === 'function';
    try {
      await copy(isInput ? source.value : source.textContent);
      button.textContent = words.copied;
    } catch {
      if (isInput) source.select();
      button.textContent = words.pressCtrlC;
    }
    setTimeout(() => { button.textContent = label; }, 1500);
  });

  // Show / hide a masked value: <button data-reveal-target="#password-input" aria-pressed="false">Show</button>.
  document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-reveal-target]');
    if (!button) return;
    const input = document.querySelector(button.dataset.revealTarget);
    if (!input) return;
    const reveal = input.type === 'password';
    input.type = reveal ? 'text' : 'password';
    button.textContent = reveal ? words.hide : words.show;
    button.setAttribute('aria-pressed', String(reveal));
  });

  // Insert at the cursor: <button data-insert="{sub1}" data-insert-target="#input-id"> (macro lists).
  document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-insert]');
    if (!button) return;
    const input = document.querySelector(button.dataset.insertTarget);
    if (!input) return;
    const text = button.dataset.insert;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    input.setRangeText(text, start, end, 'end');
    input.focus();
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });

  // Forms that ask first: <form data-confirm="Sure?">.
  document.addEventListener('submit', (event) => {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Sections that follow a choice: <select data-toggles="group"> (or radios with it) shows the elements
  // [data-toggle-group="group"][data-toggle-value="v"] whose value is chosen, hiding and disabling the others so their
  // inputs are not posted (a seller offer's fields per niche, its price per pricing).
  const applyToggle = (group) => {
    const controls = document.querySelectorAll(`[data-toggles="${group}"]`);
    let value = '';
    controls.forEach((c) => { if (c.type === 'radio' ? c.checked : true) value = c.value; });
    document.querySelectorAll(`[data-toggle-group="${group}"]`).forEach((section) => {
      const on = section.dataset.toggleValue.split(' ').includes(value);
      section.hidden = !on;
      section.disabled = !on;
    });
  };
  document.addEventListener('change', (event) => {
    const group = event.target.dataset && event.target.dataset.toggles;
    if (group) applyToggle(group);
  });
  new Set([...document.querySelectorAll('[data-toggles]')].map((c) => c.dataset.toggles)).forEach(applyToggle);

  // Row editors (offer goals, niche fields): <div data-rows="Form.Goals"> with a <template data-row-template>,
  // rows [data-row] in [data-row-list], buttons [data-add-row] and [data-remove-row]. Field names carry the
  // row index (Form.Goals[2].Code); rows are renumbered after each change so model binding sees 0..n-1.
  const renumber = (editor) => {
    const name = editor.dataset.rows;
    const pattern = new RegExp(name.replace(/[.[\]]/g, '\\$&') + '\\[(\\d+|__i__)\\]', 'g');
    const idPattern = new RegExp(name.replace(/[.[\]]/g, '_') + '_(\\d+|__i__)__', 'g');
    editor.querySelectorAll('[data-row-list] [data-row]').forEach((row, i) => {
      row.querySelectorAll('*').forEach((el) => {
        for (const attr of ['name', 'id', 'for', 'data-valmsg-for', 'aria-describedby']) {
          const value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(pattern, `${name}[${i}]`).replace(idPattern, `${name.replace(/\./g, '_')}_${i}__`));
        }
        if (el.hasAttribute('data-row-index')) el.value = String(i);
        if (el.hasAttribute('data-row-number')) el.textContent = String(i + 1);
      });
    });
    const count = editor.querySelectorAll('[data-row-list] [data-row]').length;
    editor.querySelectorAll('[data-remove-row]').forEach((b) => { b.disabled = count <= Number(editor.dataset.minRows || 0); });
  };

  document.querySelectorAll('[data-rows]').forEach((editor) => {
    const list = editor.querySelector('[data-row-list]');
    const template = editor.querySelector('template[data-row-template]');
    editor.addEventListener('click', (event) => {
      if (event.target.closest('[data-add-row]')) {
        list.appendChild(template.content.cloneNode(true));
        renumber(editor);
        const rows = list.querySelectorAll('[data-row]');
        const first = rows[rows.length - 1].querySelector('input, select');
        if (first) first.focus();
      } else if (event.target.closest('[data-remove-row]')) {
        event.target.closest('[data-row]').remove();
        renumber(editor);
      }
    });
    renumber(editor);
  });

  // Sub-id builder: [data-subid-builder] holds the base link (data-link), sub1..sub5 inputs [data-sub] and
  // the output input [data-subid-output], which the Copy button beside it copies.
  document.querySelectorAll('[data-subid-builder]').forEach((builder) => {
    const base = builder.dataset.link;
    const output = builder.querySelector('[data-subid-output]');
    const update = () => {
      const params = new URLSearchParams();
      builder.querySelectorAll('[data-sub]').forEach((input) => {
        if (input.value.trim()) params.set(input.dataset.sub, input.value.trim());
      });
      const query = params.toString();
      output.value = query ? `${base}?${query}` : base;
    };
    builder.addEventListener('input', update);
    update();
  });
})();

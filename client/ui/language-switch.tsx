import { useId } from 'react';
import { useLocale, useT } from './i18n/i18n-provider.tsx';
import { isLocale, LOCALES } from './i18n/messages.ts';

export function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  const id = useId();
  return (
    <span className="language-switch">
      <label htmlFor={id}>{t('language.label')}</label>
      <select
        id={id}
        value={locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) setLocale(event.target.value);
        }}
      >
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {t(`language.${option}`)}
          </option>
        ))}
      </select>
    </span>
  );
}

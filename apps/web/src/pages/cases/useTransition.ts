import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';

import { Case, caseKeys, casesApi, CaseStatus } from '../../api/cases';
import { ApiError } from '../../api/client';
import { errorText } from '../../components/formErrors';

export const PRIORITY_COLORS: Record<Case['priority'], string> = {
  low: 'default',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

// Moves a case along a legal transition; a 409 (someone moved it first) says why, in Chinese.
export function useTransition() {
  const { t } = useTranslation('cases');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; to: CaseStatus; note?: string }) => casesApi.transition(v.id, v.to, v.note),
    onSuccess: (updated) => {
      void message.success(t('moved', { status: t(`statuses.${updated.status}`) }));
    },
    onError: (error) => {
      void message.error(error instanceof ApiError ? errorText(error) : t('moveFailed'));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: caseKeys.all }),
  });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, Flex, Modal, Segmented, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CommentThemeInput, POLARITIES, Polarity, surveysApi, Theme, THEMES } from '../../api/surveys';
import { errorText } from '../../components/formErrors';

// The comment being corrected: a survey answer's or a case's id, its text and its themes now.
export interface CommentToCorrect {
  id: string;
  text: string;
  themes: CommentThemeInput[];
}

// 修正主题: a manager sets a comment's themes and stances (PUT /reports/comment-themes/:id); the
// correction is kept (the tagger never overwrites it).
export function CorrectThemesModal({ comment, onClose }: { comment: CommentToCorrect | null; onClose(): void }) {
  const { t } = useTranslation('surveys');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<Partial<Record<Theme, Polarity>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setChosen(Object.fromEntries((comment?.themes ?? []).map((x) => [x.key, x.polarity])));
    setProblem(null);
  }, [comment]);
  const themes = THEMES.filter((k) => chosen[k]).map((key) => ({ key, polarity: chosen[key]! }));
  const save = useMutation({
    mutationFn: () => surveysApi.correctThemes(comment!.id, themes),
    onSuccess: () => {
      void message.success(t('correct.saved'));
      onClose();
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ['surveys'] }),
        queryClient.invalidateQueries({ queryKey: ['reports', 'comment-themes'] }),
      ]);
    },
    onError: (error) => setProblem(errorText(error)),
  });
  const submit = () => {
    if (themes.length === 0) return setProblem(t('correct.themesRequired'));
    if (chosen.other && themes.length > 1) return setProblem(t('correct.otherAlone'));
    save.mutate();
  };
  return (
    <Modal
      open={!!comment}
      title={t('correct.title')}
      okText={t('correct.ok')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('correct.hint')}</Typography.Paragraph>
      <Typography.Paragraph>
        <blockquote style={{ margin: 0, paddingInlineStart: 12, borderInlineStart: '3px solid #ddd' }}>
          {comment?.text}
        </blockquote>
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Flex vertical gap={6} role="group" aria-label={t('correct.themes')}>
        {THEMES.map((key) => (
          <Flex key={key} justify="space-between" align="center" gap={8} wrap>
            <Checkbox
              checked={!!chosen[key]}
              onChange={(e) =>
                setChosen((c) => ({ ...c, [key]: e.target.checked ? (c[key] ?? 'negative') : undefined }))
              }
            >
              {t(`themes.${key}`)}
            </Checkbox>
            {chosen[key] && (
              <Segmented<Polarity>
                size="small"
                aria-label={`${t(`themes.${key}`)} ${t('responses.polarity')}`}
                value={chosen[key]}
                options={POLARITIES.map((p) => ({ value: p, label: t(`polarities.${p}`) }))}
                onChange={(p) => setChosen((c) => ({ ...c, [key]: p }))}
              />
            )}
          </Flex>
        ))}
      </Flex>
    </Modal>
  );
}

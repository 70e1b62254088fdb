/**
 * Quasar's every editor command (JustPy's `kitchen_sink=True`): alignment, marks, rules,
 * links, print, full screen, block formats, font sizes and faces, lists, undo, source.
 */
export const KITCHEN_SINK = {
  toolbar: [
    [
      {
        label: 'Align',
        icon: 'format_align_left',
        fixedLabel: true,
        list: 'only-icons',
        options: ['left', 'center', 'right', 'justify'],
      },
    ],
    ['bold', 'italic', 'strike', 'underline', 'subscript', 'superscript'],
    ['hr', 'link'],
    ['print', 'fullscreen'],
    [
      {
        label: 'Formatting',
        icon: 'text_format',
        list: 'no-icons',
        options: ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code'],
      },
      {
        label: 'Font size',
        icon: 'format_size',
        fixedLabel: true,
        fixedIcon: true,
        list: 'no-icons',
        options: ['size-1', 'size-2', 'size-3', 'size-4', 'size-5', 'size-6', 'size-7'],
      },
      {
        label: 'Font',
        icon: 'font_download',
        fixedIcon: true,
        list: 'no-icons',
        options: [
          'default_font',
          'arial',
          'arial_black',
          'comic_sans',
          'courier_new',
          'impact',
          'lucida_grande',
          'times_new_roman',
          'verdana',
        ],
      },
      'removeFormat',
    ],
    ['quote', 'unordered', 'ordered', 'outdent', 'indent'],
    ['undo', 'redo'],
    ['viewsource'],
  ],
  fonts: {
    arial: 'Arial',
    arial_black: 'Arial Black',
    comic_sans: 'Comic Sans MS',
    courier_new: 'Courier New',
    impact: 'Impact',
    lucida_grande: 'Lucida Grande',
    times_new_roman: 'Times New Roman',
    verdana: 'Verdana',
  },
};
